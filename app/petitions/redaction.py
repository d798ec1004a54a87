"""Redaction before publication (seed 002: others' personal data never published): at the publish step the intake
office confirms the public title, writes the public summary and ticks which files the public may open. The public
pages, the public search and the public file route read only these, never the case's own title, content or an
unticked file."""

from sqlalchemy import select

from app.attachments.models import Attachment
from app.db import utcnow

from .models import Petition
from .search import search_text

CASE_FILES = "case_files"  # the valuesKey of the publish form's checklist: the case's files as options


def case_files(session, petition: Petition) -> list[Attachment]:
    return list(
        session.scalars(select(Attachment).where(Attachment.petition_id == petition.id).order_by(Attachment.id))
    )


def publication_proposal(session, petition: Petition) -> dict:
    """What the publish form offers: every file of the case to tick, the case's title to confirm or edit, and the
    answer documents ticked (the handling agency attached them as the answer); the sender's files never are."""
    files = case_files(session, petition) if petition.id is not None else []
    return {
        CASE_FILES: [{"value": str(f.id), "label": f.file_name} for f in files],
        "public_title": petition.public_title or petition.title,
        "public_files": [str(f.id) for f in files if f.public],
    }


def publish(session, petition: Petition, answer, summary, title=None, chosen=None) -> dict:
    """Set what the public reads; returns the redaction (before and after) for the audit."""
    chosen = {str(value) for value in (chosen or [])}
    files = case_files(session, petition)
    before = {"title": petition.title, "files": [f.file_name for f in files]}
    petition.answer = answer
    petition.public_summary = summary
    petition.public_title = (title or "").strip() or petition.title
    petition.published_at = utcnow()
    for f in files:
        f.published = str(f.id) in chosen
    petition.search_text = search_text(petition)
    after = {
        "title": petition.public_title,
        "summary": summary,
        "files": [f.file_name for f in files if f.published],
    }
    return {"before": before, "after": after, "excluded": [f.file_name for f in files if not f.published]}
