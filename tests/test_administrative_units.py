"""Administrative units since 1 July 2025 from the `vietnam-provinces` package (34 provinces, communes and wards,
no districts): loaded at every start, cheap once loaded, units of an older database kept with their cases; a
province without a calendar file works under the national policy."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import event, func, select
from vietnam_provinces import Province as PackageProvince
from vietnam_provinces import Ward

from app.administration.agencies import create_agency
from app.agencies.models import Commune, Province, UnitCatalogue
from app.agencies.queries import is_receiving
from app.agencies.units import SOURCE, catalogue_version, load_administrative_units
from app.bootstrap import prepare_database
from app.calendars.store import current_book
from app.config import Config
from app.petitions.models import CaseDeadline, Petition
from app.services import open_services

from .conftest import submit, user
from .test_migrations import previous_release_file

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PHUONG_HOAN_KIEM = 70


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def communes_of(session, province: str) -> dict[str, str]:
    rows = session.execute(select(Commune.name, Commune.kind).where(Commune.province_code == province))
    return dict(rows.all())


def test_the_loader_gives_the_34_provinces_and_every_commune_of_the_package(session):
    provinces = session.scalars(select(Province).where(Province.official_code.is_not(None))).all()
    assert len(provinces) == len(list(PackageProvince.iter_all())) == 34
    assert count(session, Commune) == len(list(Ward.iter_all()))  # 3,321 in vietnam-provinces 2025.10.1
    by_code = {p.code: p for p in provinces}
    assert {"ha-noi", "ho-chi-minh", "hue", "da-nang", "quang-ngai", "lai-chau", "bac-ninh"} <= set(by_code)
    assert (by_code["ha-noi"].name, by_code["ha-noi"].official_code) == ("Thành phố Hà Nội", 1)
    assert by_code["ha-noi"].kind == "thành phố trung ương" and by_code["quang-ngai"].kind == "tỉnh"
    quang_ngai = communes_of(session, "quang-ngai")
    # Former Kon Tum's wards belong to Quảng Ngãi now, beside its own.
    assert {"Phường Kon Tum", "Phường Đăk Cấm", "Phường Đăk BLa", "Phường Cẩm Thành"} <= set(quang_ngai)
    assert quang_ngai["Phường Kon Tum"] == "phường" and quang_ngai["Xã Đăk Hà"] == "xã"
    assert quang_ngai["Đặc khu Lý Sơn"] == "đặc khu"
    assert session.get(Commune, PHUONG_HOAN_KIEM).province_code == "ha-noi"


def test_each_province_keeps_the_policy_its_calendar_file_names_and_the_others_the_national_one(session):
    policies = dict(session.execute(select(Province.code, Province.policy)).all())
    assert policies["quang-ngai"] == "qd31-2021" and policies["ha-noi"] == "qd31-2021"
    assert policies["lai-chau"] == "qd574-2017" and policies["bac-ninh"] == "bac-ninh-17-2024"


def test_loading_again_reads_one_row_and_changes_nothing(session):
    policy_of, statements = current_book(session).policy_code, []

    def remember(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", remember)
    try:
        assert load_administrative_units(session, policy_of) is False
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", remember)
    assert len(statements) == 1 and "unit_catalogue" in statements[0]
    assert session.get(UnitCatalogue, SOURCE).version == catalogue_version()


def test_a_new_release_of_the_package_updates_the_units_in_place(session):
    before = (count(session, Province), count(session, Commune))
    session.get(UnitCatalogue, SOURCE).version = "2025.7.1 r1"
    session.get(Commune, 23293).name = "Phường Cũ"
    session.delete(session.get(Commune, 23535))  # Xã Ia Đal, as if the older release lacked it
    session.get(Province, "lai-chau").name = "Lai Chau"
    session.commit()
    assert load_administrative_units(session, current_book(session).policy_code) is True
    session.commit()
    assert (count(session, Province), count(session, Commune)) == before  # no duplicate, nothing lost
    assert session.get(Commune, 23293).name == "Phường Kon Tum" and session.get(Commune, 23535).name == "Xã Ia Đal"
    assert session.get(Province, "lai-chau").name == "Lai Châu"
    assert session.get(UnitCatalogue, SOURCE).version == catalogue_version()


def test_a_previous_release_database_keeps_kon_tum_with_its_cases_beside_the_loaded_units(tmp_path):
    url = f"sqlite:///{previous_release_file(tmp_path)}"
    services = open_services(Config(database_url=url))
    sessions = services.sessions
    prepare_database(services, demo=False)
    with sessions() as session:
        kon_tum = session.get(Province, "kon-tum")
        assert (kon_tum.name, kon_tum.official_code, kon_tum.policy) == ("Kon Tum", None, "qd31-2021")
        assert count(session, Petition) == 3 and {p.province_code for p in session.scalars(select(Petition))} == {
            "kon-tum"
        }
        assert session.get(Province, "lai-chau").official_code == 12  # the old row completed, not doubled
        assert count(session, Province) == 35
        assert not is_receiving(session, "kon-tum")  # no new petition for a province that no longer exists
        assert current_book(session).policy("kon-tum").code == "qd31-2021"
    services.engine.dispose()


def test_a_province_without_a_calendar_file_works_under_the_national_policy(session):
    book = current_book(session)
    assert not book.has_file("ha-noi") and book.policy("ha-noi").code == "qd31-2021"
    # Received Mon 9 Mar 2026 10:00, answer 15 WD: 10–13 (4), 16–20 (9), 23–27 (14), Mon 30 Mar (15).
    assert book.due("ha-noi", "answer", at(2026, 3, 9, 10)) == at(2026, 3, 30, 17)
    # Tết 2026 (16–20 Feb) is national: forward 5 WD from Thu 12 Feb: 13, 23, 24, 25, Thu 26 Feb.
    assert book.due("ha-noi", "forward", at(2026, 2, 12, 9)) == at(2026, 2, 26, 17)


def test_a_petition_in_a_province_without_a_calendar_file_gets_the_national_deadlines(session):
    office = {"code": "HN-VPUB", "name": "Văn phòng UBND thành phố Hà Nội", "level": "province",
              "province": "ha-noi", "parent": "", "is_intake_office": "1"}  # fmt: skip
    create_agency(session, user(session, "admin"), office)
    with time_machine.travel(at(2026, 2, 12, 9, 0), tick=False):
        petition = submit(session, province_code="ha-noi", commune_code=str(PHUONG_HOAN_KIEM))
    deadlines = {
        d.step: d for d in session.scalars(select(CaseDeadline).where(CaseDeadline.petition_id == petition.id))
    }
    assert {d.policy for d in deadlines.values()} == {"qd31-2021"}
    assert deadlines["forward"].due_at == at(2026, 2, 26, 17)
