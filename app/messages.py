"""Messages for refused input, keyed by the rule that was broken: Vietnamese msgids of the one catalogue
(app/translation.py) with named placeholders; English in messages.po. `render` is the only place a FieldError
becomes text, for the web, the CLI and the tests alike."""

from app.accounts.messages import ACCOUNT_RULES
from app.administration.messages import ADMIN_RULES
from app.translation import N_, LazyText, translate

INPUT_RULES = {
    "required": N_("«%(label)s» là bắt buộc."),
    "type_long": N_("«%(label)s» phải là số nguyên."),
    "type_boolean": N_("«%(label)s» phải là có hoặc không."),
    "type_date": N_("«%(label)s» phải là ngày dạng NNNN-TT-NN."),
    "enum": N_("«%(label)s» phải là một trong: %(allowed)s."),
    "minlength": N_("«%(label)s» cần ít nhất %(limit)s ký tự."),
    "maxlength": N_("«%(label)s» dài tối đa %(limit)s ký tự."),
    "min": N_("«%(label)s» không được nhỏ hơn %(limit)s."),
    "max": N_("«%(label)s» không được lớn hơn %(limit)s."),
    "ref": N_("«%(label)s»: không có «%(value)s» trong danh mục."),
    "email": N_("«%(label)s» không đúng định dạng thư điện tử (ví dụ: ten@mien.vn)."),
    "phone": N_("«%(label)s» phải là số điện thoại Việt Nam: 0 hoặc +84 và 9–10 chữ số."),
    "already_off": N_("Ngày %(date)s đã là ngày nghỉ (%(name)s)."),
    "not_off": N_("Ngày %(date)s không phải ngày nghỉ."),
    "already_worked": N_("Ngày %(date)s đã là ngày làm việc."),
    "not_worked_weekend": N_("Ngày %(date)s không phải ngày làm bù (chỉ ngày nghỉ hằng tuần mới làm bù)."),
    "date_format": N_("«%(label)s» phải là ngày dạng NNNN-TT-NN."),
    "datetime_format": N_("«%(label)s» phải là thời điểm ISO 8601, ví dụ 2026-02-10T09:00+07:00."),
    "control_chars": N_("«%(label)s» chứa ký tự điều khiển không gõ được (ví dụ ký tự NUL); hãy xoá chúng."),
    "visible_min": N_("«%(label)s» cần ít nhất %(limit)s ký tự nhìn thấy được (không tính dấu cách)."),
    "import_line_of": N_("Dòng %(line)s: %(message)s"),
    "import_unreadable": N_("Không đọc được tệp «%(name)s»: hãy dùng tệp .xlsx hoặc .csv (UTF-8) theo mẫu."),
    "import_empty": N_("Tệp «%(name)s» không có dòng nào."),
    "import_columns": N_("Tệp «%(name)s» thiếu cột: %(columns)s (dòng 1 là tên cột)."),
    "import_rows": N_("Tệp «%(name)s» có hơn %(limit)s dòng: hãy chia thành nhiều tệp."),
    "own_province_agency": N_("cơ quan của tài khoản phải thuộc tỉnh, thành phố đang nhập."),
    "max_files": N_("«%(label)s»: tối đa %(limit)s tệp."),
    "file_size": N_("«%(label)s»: tệp «%(name)s» lớn hơn %(limit)s."),
    "file_type": N_("«%(label)s»: tệp «%(name)s» không phải ảnh, video hay PDF."),
    "picture_required": N_(
        "«%(label)s»: phản ánh hiện trường và phản ánh về thủ tục hành chính cần kèm ít nhất một ảnh hoặc video."
    ),
    "not_receiving": N_("«%(label)s»: %(value)s chưa tiếp nhận phản ánh, kiến nghị trên hệ thống này."),
    "commune_province": N_(
        "«%(label)s»: %(value)s không thuộc %(province)s; hãy chọn xã, phường, đặc khu của tỉnh, thành phố đã chọn."
    ),
    "own_province": N_("«%(label)s»: cán bộ chỉ nhập PAKN cho tỉnh, thành phố của cơ quan mình."),
    "not_published": N_("Chỉ đánh giá được khi đã có kết quả trả lời."),
    "not_answered": N_("«%(label)s»: chỉ gửi được khi cơ quan đã có kết quả trả lời."),
    "clarification_open": N_(
        "«%(label)s»: ý kiến phản hồi trước của ông/bà đang chờ cơ quan làm rõ; xin gửi tiếp sau."
    ),
    "reexamination_open": N_(
        "«%(label)s»: cơ quan đang xem xét lại kết quả theo yêu cầu của lãnh đạo; xin gửi sau khi có kết quả "
        "xem xét lại."
    ),
    "reopen_unanswered": N_(
        "«%(label)s»: chỉ yêu cầu xử lý lại được PAKN đã có kết quả trả lời; PAKN này chưa có, hãy chọn biện pháp khác."
    ),
    "reopen_waiting": N_(
        "«%(label)s»: PAKN đang chờ cơ quan làm rõ ý kiến phản hồi; hãy ghi biện pháp sau khi cơ quan làm rõ, "
        "hoặc chọn biện pháp khác."
    ),
    "clarification_limit": N_("«%(label)s»: mỗi PAKN được gửi tối đa %(limit)s ý kiến phản hồi về kết quả."),
    "hotline_lines": N_("«%(label)s»: dòng %(lines)s cần có dạng «tên | số điện thoại» (tối đa %(limit)s dòng)."),
    "unmeasured": N_("«%(label)s»: còn %(count)s PAKN chưa có biện pháp; hãy ghi biện pháp cho từng PAKN."),
    "no_files": N_("«%(label)s»: quy trình này không gắn với PAKN nào nên không nhận tệp đính kèm."),
    # Camunda Forms (app/camunda_forms): rules form-js fields add to the ones above.
    "type_number": N_("«%(label)s» phải là một số."),
    "type_time": N_("«%(label)s» phải là giờ dạng GG:PP."),
    "type_datetime": N_("«%(label)s» phải là ngày giờ dạng NNNN-TT-NN GG:PP."),
    "decimal_digits": N_("«%(label)s» có tối đa %(limit)s chữ số sau dấu thập phân."),
    "increment": N_("«%(label)s» phải là bội số của %(step)s."),
    "pattern": N_("«%(label)s» không đúng định dạng yêu cầu."),
    "past_date": N_("«%(label)s» không được là ngày đã qua."),
    "file_accept": N_("«%(label)s»: tệp «%(name)s» không thuộc loại được nhận (%(accept)s)."),
}
RULES = INPUT_RULES | ADMIN_RULES | ACCOUNT_RULES
TRANSLATED_PARAMS = {"label"}  # params that are msgids (a field's label); the others are the user's own values


def render(rule: str, lang: str = "vi", **params) -> str:
    """The message for `rule` in `lang`, its label in `lang` too; `import_line` wraps another rule's message."""
    if rule == "import_line":
        inner = render(params.pop("broken"), lang, **params)
        return render("import_line_of", lang, line=params["line"], message=inner)
    if rule == "pattern_custom":
        return translate(params["message"], lang)  # the form designer's own patternErrorMessage
    values = {
        key: translate(value, lang) if key in TRANSLATED_PARAMS or isinstance(value, LazyText) else value
        for key, value in params.items()
    }
    return translate(RULES[rule], lang) % values
