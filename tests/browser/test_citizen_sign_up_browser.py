"""A citizen on a phone signs up, opens the link of the e-mail a real SMTP server received, and sees his account."""

import re

from ..accounts_helpers import STRONG, deliver_to, received_by
from ..test_message_delivery import MailServer, certificate  # noqa: F401  (the TLS certificate fixture)
from .conftest import PHONE, unfold_menu


def test_a_citizen_on_a_phone_signs_up_and_opens_the_link_from_his_mail(
    open_page,
    shots,
    sessions,
    live_server,
    certificate,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setenv("PAKN_BASE_URL", live_server)  # the links in messages point at this test's server
    citizen = open_page(PHONE)
    citizen.goto("/")
    unfold_menu(citizen)
    citizen.get_by_role("link", name="Đăng ký").click()
    citizen.fill("#full_name", "Lê Văn Cường")
    citizen.fill("#email", "Cuong.Le@example.vn")
    citizen.fill("#password", STRONG)
    citizen.fill("#password_confirm", STRONG)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing scrolls sideways
    shots(citizen, "sign-up")
    citizen.locator("main").get_by_role("button", name="Đăng ký").click()
    citizen.wait_for_load_state()
    assert "cuong.le@example.vn" in citizen.locator("main").inner_text()
    shots(citizen, "check-mail")
    with MailServer(certificate) as mail:
        deliver_to(sessions, mail)
    [received] = received_by(mail, "cuong.le@example.vn")
    link = re.search(r"http://\S+/tai-khoan/xac-nhan/\S+", received.get_content()).group(0)
    citizen.goto(link)
    shots(citizen, "verify")
    citizen.get_by_role("button", name="Kích hoạt tài khoản").click()
    citizen.wait_for_load_state()
    main = citizen.locator("main").inner_text()
    assert "Tài khoản của tôi" in main and "cuong.le@example.vn" in main and "Lê Văn Cường" in main
    assert citizen.get_by_role("button", name="Đăng xuất", include_hidden=True).count() == 1
    shots(citizen, "account")
