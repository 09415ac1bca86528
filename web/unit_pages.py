"""What a unit's link grants: its page (`/u/{token}`), the forms it sends from there, and the
fresh link asked for on an expired link's page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from domain.responses import FormProblems, Scope
from domain.states import SubmissionKind
from domain.uploads import UploadRefused
from flows import responses as cases
from flows.application import Application
from notifications.responses import submission_result
from notifications.words import label
from web.deps import LinkForm, LinkScope, RowId, session_form
from web.rendering import (
    Answered,
    client,
    message,
    page,
    recorded,
    text_fields,
    too_large,
    vntime,
)
from web.security import BodyTooLarge
from web.uploads import store_upload

ACTIONS = {"report": SubmissionKind.COMPLETION, "extend": SubmissionKind.EXTENSION,
           "progress": SubmissionKind.PROGRESS, "ack": SubmissionKind.ACKNOWLEDGEMENT}

router = APIRouter()


@router.get("/u/{token}", response_class=HTMLResponse)
async def unit_home(request: Request, token: str, scope: LinkScope):
    return await unit_view(request, scope, token)


async def unit_view(request: Request, scope: Scope, token: str, status: int = 200,
                    failed: tuple[int, str] | None = None, values: dict | None = None,
                    problems: dict[str, str] | None = None) -> HTMLResponse:
    """The unit's page; after a refused form (`failed`: its item and action), with what was
    typed and each field's error beside it."""
    application = request.app.state.application
    view = await run_in_threadpool(cases.unit_page, application, scope)
    return page(request, "unit.html.j2", status, view=view, token=token,
                csrf=request.app.state.sessions.form_token("link:" + token),
                today=application.today(), max_mb=application.policy.upload_max_mb,
                failed=failed, values=values or {}, problems=problems or {})


def action_kind(request: Request, token: str, action: str) -> SubmissionKind:
    if action not in ACTIONS:
        raise Answered(message(request, "Không có thao tác này", "Không có thao tác này.", 404,
                               f"/u/{token}"))
    return ACTIONS[action]


@router.post("/u/{token}/items/{item_id}/{action}", response_class=HTMLResponse)
async def unit_action(request: Request, token: str, item_id: RowId, action: str,
                      scope: LinkScope, kind: Annotated[SubmissionKind, Depends(action_kind)],
                      form: LinkForm):
    application: Application = request.app.state.application
    back, folder = f"/u/{token}", application.settings.upload_dir
    upload = form.get("attachment") if kind is SubmissionKind.COMPLETION else None
    fields, stored = text_fields(form), None
    try:
        stored = await _stored(application, upload)
        submission, created = await run_in_threadpool(
            cases.submit, application, scope, item_id, kind, fields,
            client(request, scope.recipient), stored)
    except BodyTooLarge:
        return too_large(request, back)
    except UploadRefused as error:
        return message(request, "Tệp đính kèm không được nhận",
                       f"{_sentence(str(error))}. Chỉ nhận PDF, Word, Excel, ảnh PNG hoặc JPEG: "
                       "không có gì được ghi nhận.", 415, back)
    except FormProblems as problems:
        _discard(folder, stored)
        return await unit_view(request, scope, token, 422, (item_id, action), fields,
                               problems.problems)
    except cases.PageError as error:
        _discard(folder, stored)
        return message(request, "Không thực hiện được", error.message, error.status, back)
    if not created:
        _discard(folder, stored)
        return recorded(request, back, "Đã ghi nhận trước đó",
                        f"{_sentence(label(SubmissionKind(submission.kind)))} này đã được ghi "
                        f"nhận lúc {vntime(application, submission.submitted_at)}: không ghi "
                        "thêm.")
    return recorded(request, back, "Đã ghi nhận",
                    submission_result(kind, application.policy.pause_on_report))


async def _stored(application: Application, upload: Any) -> cases.StoredFile | None:
    if not isinstance(upload, UploadFile):
        return None
    return await store_upload(upload, application.settings.upload_dir,
                              application.policy.upload_max_mb * 1024 * 1024)


@router.post("/link", response_class=HTMLResponse)
async def ask_link(request: Request,
                   form: Annotated[dict[str, Any], Depends(session_form(None))]):
    address = str(form.get("address") or "")
    await run_in_threadpool(cases.request_link, request.app.state.application, address,
                            client(request, address))
    return recorded(request, "/", "Đã nhận đề nghị",
                    "Nếu địa chỉ này có trong danh sách đơn vị, đường dẫn mới sẽ được gửi tới "
                    "hộp thư đó trong ít phút.")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _discard(folder: Path, stored: cases.StoredFile | None) -> None:
    """An attachment of a submission not recorded is not kept."""
    if stored is not None:
        (folder / stored.stored_name).unlink(missing_ok=True)
