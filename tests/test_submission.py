"""Submitting a PAKN: what the law requires of it, and nothing stored when it is refused."""

import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.engine.models import ProcessInstance
from app.errors import FormInvalid, PermissionDenied
from app.petitions.models import Petition
from app.petitions.operations import submit_petition
from app.petitions.tracking import ALPHABET, normalize

from .conftest import PHUONG_KON_TUM, WARDS, submit, user, valid_submission


def counts(session):
    return tuple(session.scalar(select(func.count(m.id))) for m in (Petition, ProcessInstance, AuditEntry))


def test_a_valid_submission_gets_a_short_unguessable_tracking_code(session):
    petition = submit(session)
    assert re.fullmatch(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", petition.tracking_code)
    assert petition.sender_phone == "0912345678"
    assert petition.sender_user_id == user(session, "citizen").id
    codes = {submit(session).tracking_code for _ in range(5)} | {petition.tracking_code}
    assert len(codes) == 6


def test_tracking_codes_survive_being_read_over_the_phone():
    assert normalize("7qx4 m9pa k2td") == "7QX4-M9PA-K2TD"
    assert normalize("ab0o-il11-zz99") == "AB00-1111-ZZ99"


def test_an_anonymous_portal_submission_is_accepted(session):
    petition = submit(session, username=None)
    assert petition.sender_user_id is None and petition.status == "classifying"


def test_every_missing_or_wrong_field_is_named_once_and_nothing_is_stored(session):
    before = counts(session)
    bad = valid_submission(
        kind="khieu-nai",
        field_code="",
        title="",
        content="ngắn",
        sender_name="",
        sender_address="",
        sender_phone="12345",
        sender_email="an@",
        province_code="kon-tum",  # merged into Quảng Ngãi: no longer in the list
    )
    with pytest.raises(FormInvalid) as refused:
        submit_petition(session, user(session, "citizen"), bad)
    errors = refused.value.errors
    fields = [e.field for e in errors]
    assert len(fields) == len(set(fields))
    rules = {e.field: e.rule for e in errors}
    assert rules == {
        "kind": "enum",
        "field_code": "required",
        "title": "required",
        "content": "minlength",
        "sender_name": "required",
        "sender_address": "required",
        "sender_phone": "phone",
        "sender_email": "email",
        "province_code": "ref",
        "commune_code": "required",
    }
    messages = refused.value.by_field()
    assert messages["sender_phone"].startswith("«Số điện thoại»")
    assert "Thư điện tử" in messages["sender_email"]
    assert refused.value.by_field("en")["title"] == "“Title” is required."
    assert counts(session) == before


def test_only_an_intake_clerk_enters_a_letter_and_the_refusal_is_audited(session):
    with pytest.raises(PermissionDenied):
        submit(session, username="citizen", channel="letter")
    refusal = session.scalar(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    assert refusal.actor == "citizen" and refusal.action == "petition.submit"
    assert session.scalar(select(func.count(Petition.id))) == 0
    petition = submit(session, username="intake", channel="letter")
    assert petition.entered_by == "intake" and petition.channel == "letter"


def test_a_field_report_on_the_portal_needs_a_photo_or_video(session):
    with pytest.raises(FormInvalid) as refused:
        submit(session, kind="field_report")
    assert refused.value.by_field()["attachments"].startswith("«Tệp đính kèm»: phản ánh hiện trường")
    assert session.scalar(select(func.count()).select_from(Petition)) == 0


def test_contacts_required_by_channel(session):
    letter = submit(session, "intake", channel="letter", sender_phone="", sender_email="")
    assert letter.sender_phone == "" or letter.sender_phone is None
    with pytest.raises(FormInvalid) as refused:
        submit(session, "intake", channel="phone", sender_phone="", sender_email="")
    assert set(refused.value.by_field()) == {"sender_phone"}
    with pytest.raises(FormInvalid) as refused:
        submit(session, "citizen", sender_email="")
    assert set(refused.value.by_field()) == {"sender_email"}


def test_an_intake_clerk_enters_for_his_own_province_only(session):
    with pytest.raises(FormInvalid) as refused:
        submit(session, "intake", channel="letter", province_code="lai-chau")
    assert "tỉnh, thành phố của cơ quan mình" in refused.value.by_field()["province_code"]
    assert submit(session, "intake-lc", channel="letter", province_code="lai-chau").province_code == "lai-chau"


def test_a_retired_field_takes_no_new_petitions(session):
    from app.administration.fields import set_field_active  # noqa: PLC0415

    set_field_active(session, user(session, "admin"), "xay-dung", False)
    with pytest.raises(FormInvalid) as refused:
        submit(session)
    assert set(refused.value.by_field()) == {"field_code"}


def test_the_commune_is_stored_with_the_petition(session):
    petition = submit(session)
    assert petition.commune_code == PHUONG_KON_TUM and petition.commune.name == "Phường Kon Tum"


def test_a_submission_without_a_commune_is_refused_naming_the_field(session):
    before = counts(session)
    with pytest.raises(FormInvalid) as refused:
        submit(session, commune_code="")
    assert refused.value.by_field() == {"commune_code": "«Xã, phường, đặc khu» là bắt buộc."}
    assert counts(session) == before


def test_a_commune_of_another_province_is_refused_naming_the_field(session):
    before = counts(session)
    with pytest.raises(FormInvalid) as refused:
        submit(session, commune_code=str(WARDS["lai-chau"]))  # Phường Tân Phong, Lai Châu
    assert refused.value.by_field() == {
        "commune_code": "«Xã, phường, đặc khu»: Phường Tân Phong không thuộc Quảng Ngãi; "
        "hãy chọn xã, phường, đặc khu của tỉnh, thành phố đã chọn."
    }
    assert refused.value.by_field("en")["commune_code"] == (
        "“Commune, ward or special zone”: Phường Tân Phong is not in Quảng Ngãi; "
        "choose a commune or ward of the chosen province."
    )
    assert counts(session) == before


def test_a_commune_code_that_is_not_in_the_list_is_refused(session):
    for typed in ("99999", "23293 OR 1=1", "9" * 30):
        with pytest.raises(FormInvalid) as refused:
            submit(session, commune_code=typed)
        assert refused.value.errors[0].rule == "ref" and set(refused.value.by_field()) == {"commune_code"}


def test_a_province_without_an_intake_office_takes_no_petitions(session):
    with pytest.raises(FormInvalid) as refused:
        submit(session, province_code="ha-noi", commune_code="70")  # Phường Hoàn Kiếm
    assert refused.value.by_field() == {
        "province_code": "«Tỉnh, thành phố»: Thành phố Hà Nội chưa tiếp nhận phản ánh, kiến nghị trên hệ thống này."
    }
