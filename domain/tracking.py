"""What the secretariat records by hand: a completion (hoàn thành), an extension (gia hạn), or
the date of a deadline the plan left undetermined (chưa xác định thời hạn)."""

from __future__ import annotations


class ItemError(ValueError):
    """A user's mistake about an item: unknown code, ambiguous code, impossible change."""
