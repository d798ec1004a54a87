"""What the public statistics page shows for a period and a slice: the figures, by field, by month."""

from dataclasses import dataclass

from .figures import Figures, Period, Slice, by_field, figures, monthly


@dataclass
class PublicStatistics:
    figures: Figures
    fields: list  # (code, name, received, answered), most received first
    months: list  # (first day, received, answered on time), the 12 months ending with the period's last


def public_statistics(session, period: Period, slice_: Slice) -> PublicStatistics:
    return PublicStatistics(
        figures(session, period, slice_), by_field(session, period, slice_), monthly(session, period.end, 12, slice_)
    )
