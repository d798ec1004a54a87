"""Messages for refused input, in Vietnamese (default) and English, keyed by the rule that was broken."""

MESSAGES = {
    "required": {"vi": "«{label}» là bắt buộc.", "en": "“{label}” is required."},
    "type_long": {"vi": "«{label}» phải là số nguyên.", "en": "“{label}” must be a whole number."},
    "type_boolean": {"vi": "«{label}» phải là có hoặc không.", "en": "“{label}” must be yes or no."},
    "type_date": {"vi": "«{label}» phải là ngày dạng NNNN-TT-NN.", "en": "“{label}” must be a date YYYY-MM-DD."},
    "enum": {"vi": "«{label}» phải là một trong: {allowed}.", "en": "“{label}” must be one of: {allowed}."},
    "minlength": {"vi": "«{label}» cần ít nhất {limit} ký tự.", "en": "“{label}” needs at least {limit} characters."},
    "maxlength": {"vi": "«{label}» dài tối đa {limit} ký tự.", "en": "“{label}” takes at most {limit} characters."},
    "min": {"vi": "«{label}» không được nhỏ hơn {limit}.", "en": "“{label}” must not be below {limit}."},
    "max": {"vi": "«{label}» không được lớn hơn {limit}.", "en": "“{label}” must not be above {limit}."},
    "ref": {"vi": "«{label}»: không có «{value}» trong danh mục.", "en": "“{label}”: “{value}” is not in the list."},
    "email": {
        "vi": "«{label}» không đúng định dạng thư điện tử (ví dụ: ten@mien.vn).",
        "en": "“{label}” is not a valid e-mail address (e.g. name@domain.vn).",
    },
    "phone": {
        "vi": "«{label}» phải là số điện thoại Việt Nam: 0 hoặc +84 và 9–10 chữ số.",
        "en": "“{label}” must be a Vietnamese phone number: 0 or +84 then 9–10 digits.",
    },
    "already_off": {"vi": "Ngày {date} đã là ngày nghỉ ({name}).", "en": "{date} is already a day off ({name})."},
    "not_off": {"vi": "Ngày {date} không phải ngày nghỉ.", "en": "{date} is not a day off."},
    "already_worked": {"vi": "Ngày {date} đã là ngày làm việc.", "en": "{date} is already a working day."},
    "not_worked_weekend": {
        "vi": "Ngày {date} không phải ngày làm bù (chỉ ngày nghỉ hằng tuần mới làm bù).",
        "en": "{date} is not a swapped working day (only a weekend day can be one).",
    },
    "date_format": {"vi": "«{label}» phải là ngày dạng NNNN-TT-NN.", "en": "“{label}” must be a date YYYY-MM-DD."},
    "datetime_format": {
        "vi": "«{label}» phải là thời điểm ISO 8601, ví dụ 2026-02-10T09:00+07:00.",
        "en": "“{label}” must be an ISO 8601 instant, e.g. 2026-02-10T09:00+07:00.",
    },
    "control_chars": {
        "vi": "«{label}» chứa ký tự điều khiển không gõ được (ví dụ ký tự NUL); hãy xoá chúng.",
        "en": "“{label}” contains control characters that cannot be typed (such as NUL); please remove them.",
    },
    "visible_min": {
        "vi": "«{label}» cần ít nhất {limit} ký tự nhìn thấy được (không tính dấu cách).",
        "en": "“{label}” needs at least {limit} visible characters (spaces do not count).",
    },
    "import_line_of": {"vi": "Dòng {line}: {message}", "en": "Line {line}: {message}"},
    "import_unreadable": {
        "vi": "Không đọc được tệp «{name}»: hãy dùng tệp .xlsx hoặc .csv (UTF-8) theo mẫu.",
        "en": "File “{name}” cannot be read: use an .xlsx or a .csv (UTF-8) file laid out as the template.",
    },
    "import_empty": {"vi": "Tệp «{name}» không có dòng nào.", "en": "File “{name}” has no rows."},
    "import_columns": {
        "vi": "Tệp «{name}» thiếu cột: {columns} (dòng 1 là tên cột).",
        "en": "File “{name}” lacks columns: {columns} (line 1 names the columns).",
    },
    "import_rows": {
        "vi": "Tệp «{name}» có hơn {limit} dòng: hãy chia thành nhiều tệp.",
        "en": "File “{name}” has more than {limit} rows: split it into several files.",
    },
    "own_province_agency": {
        "vi": "cơ quan của tài khoản phải thuộc tỉnh, thành phố đang nhập.",
        "en": "the account's agency must belong to the province being imported.",
    },
    "max_files": {"vi": "«{label}»: tối đa {limit} tệp.", "en": "“{label}”: at most {limit} files."},
    "file_size": {
        "vi": "«{label}»: tệp «{name}» lớn hơn {limit}.",
        "en": "“{label}”: file “{name}” is larger than {limit}.",
    },
    "file_type": {
        "vi": "«{label}»: tệp «{name}» không phải ảnh, video hay PDF.",
        "en": "“{label}”: file “{name}” is not a photo, video or PDF.",
    },
    "picture_required": {
        "vi": "«{label}»: phản ánh hiện trường và phản ánh về thủ tục hành chính cần kèm ít nhất một ảnh hoặc video.",
        "en": "“{label}”: a field or procedure report needs at least one photo or video.",
    },
    "not_receiving": {
        "vi": "«{label}»: {value} chưa tiếp nhận phản ánh, kiến nghị trên hệ thống này.",
        "en": "“{label}”: {value} does not receive petitions on this system yet.",
    },
    "commune_province": {
        "vi": "«{label}»: {value} không thuộc {province}; hãy chọn xã, phường, đặc khu của tỉnh, thành phố đã chọn.",
        "en": "“{label}”: {value} is not in {province}; choose a commune or ward of the chosen province.",
    },
    "own_province": {
        "vi": "«{label}»: cán bộ chỉ nhập PAKN cho tỉnh, thành phố của cơ quan mình.",
        "en": "“{label}”: a clerk enters PAKN for his own agency's province only.",
    },
    "not_published": {
        "vi": "Chỉ đánh giá được khi đã có kết quả trả lời.",
        "en": "Only a published answer can be rated.",
    },
    # Camunda Forms (app/camunda_forms): rules form-js fields add to the ones above.
    "type_number": {"vi": "«{label}» phải là một số.", "en": "“{label}” must be a number."},
    "type_time": {"vi": "«{label}» phải là giờ dạng GG:PP.", "en": "“{label}” must be a time HH:MM."},
    "type_datetime": {
        "vi": "«{label}» phải là ngày giờ dạng NNNN-TT-NN GG:PP.",
        "en": "“{label}” must be a date and time YYYY-MM-DD HH:MM.",
    },
    "decimal_digits": {
        "vi": "«{label}» có tối đa {limit} chữ số sau dấu thập phân.",
        "en": "“{label}” takes at most {limit} digits after the decimal point.",
    },
    "increment": {"vi": "«{label}» phải là bội số của {step}.", "en": "“{label}” must be a multiple of {step}."},
    "pattern": {"vi": "«{label}» không đúng định dạng yêu cầu.", "en": "“{label}” does not have the required format."},
    "pattern_custom": {"vi": "{message}", "en": "{message}"},  # the form designer's own patternErrorMessage
    "past_date": {"vi": "«{label}» không được là ngày đã qua.", "en": "“{label}” must not be a past date."},
    "file_accept": {
        "vi": "«{label}»: tệp «{name}» không thuộc loại được nhận ({accept}).",
        "en": "“{label}”: file “{name}” is not of an accepted type ({accept}).",
    },
}


def render(rule: str, lang: str = "vi", **params) -> str:
    """The message for `rule` in `lang` (falls back to Vietnamese); `import_line` wraps another rule's message."""
    if rule == "import_line":
        inner = render(params.pop("broken"), lang, **params)
        return render("import_line_of", lang, line=params["line"], message=inner)
    templates = MESSAGES[rule]
    return templates.get(lang, templates["vi"]).format(**params)
