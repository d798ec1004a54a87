"""Which deployed process a new petition starts: the administrator's choice for its province and channel, the most
specific one first (province and channel, province, channel, everywhere); without one, the latest `pakn`."""

from sqlalchemy import select

from app.engine.deployment import latest_definition
from app.engine.models import ProcessDefinition

from .models import ProcessChoice

DEFAULT_PROCESS = "pakn"
CLARIFICATION_PROCESS = "clarification"  # started by the sender's reply to a published answer (clarifications.py)


def choice_for(session, province: str | None, channel: str | None) -> ProcessChoice | None:
    """The most specific choice that applies, or None."""
    rows = session.scalars(
        select(ProcessChoice).where(
            (ProcessChoice.province_code == province) | ProcessChoice.province_code.is_(None),
            (ProcessChoice.channel == channel) | ProcessChoice.channel.is_(None),
        )
    ).all()
    return min(rows, key=lambda c: (c.province_code is None, c.channel is None), default=None)


def definition_of(session, process_key: str, version: int | None) -> ProcessDefinition | None:
    """A deployed version, or the latest when `version` is None."""
    if version is None:
        return latest_definition(session, process_key)
    return session.scalar(select(ProcessDefinition).filter_by(process_key=process_key, version=version))


def definition_for(session, province: str | None, channel: str | None) -> ProcessDefinition:
    """The definition a new petition of this province and channel starts."""
    choice = choice_for(session, province, channel)
    if choice is None:
        definition = latest_definition(session, DEFAULT_PROCESS)
    else:
        definition = definition_of(session, choice.process_key, choice.version)
    if definition is None:
        raise LookupError(f"no deployed process for new petitions of {province or '*'} / {channel or '*'}")
    return definition


def clarification_definition(session) -> ProcessDefinition:
    """The definition a sender's reply to the answer starts: the latest `clarification`."""
    definition = latest_definition(session, CLARIFICATION_PROCESS)
    if definition is None:
        raise LookupError(f"no deployed process {CLARIFICATION_PROCESS}")
    return definition
