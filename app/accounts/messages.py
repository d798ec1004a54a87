"""The account rules' messages (sign-up, passwords): msgids rendered by app.messages.render."""

from app.translation import N_

ACCOUNT_RULES = {
    "password_weak": N_(
        "«%(label)s» cần ít nhất %(limit)s ký tự, có cả chữ cái và chữ số hoặc ký hiệu, không chứa địa chỉ thư "
        "điện tử và không phải mật khẩu dễ đoán."
    ),
    "password_mismatch": N_("Hai lần nhập «%(label)s» không giống nhau."),
    "password_wrong": N_("«%(label)s» không đúng."),
    "password_same": N_("«%(label)s» phải khác mật khẩu hiện tại."),
    "password_throttled": N_("Nhập sai «%(label)s» quá nhiều lần; hãy thử lại sau ít phút."),
}
