"""Messages for the administration's input rules, registered with the shared catalogue FieldError renders from."""

from app.messages import MESSAGES

ADMIN_MESSAGES = {
    "unique": {"vi": "«{label}» «{value}» đã có, hãy chọn giá trị khác.", "en": "“{label}” “{value}” is taken."},
    "code_format": {
        "vi": "«{label}» chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-), 2–50 ký tự.",
        "en": "“{label}” takes unaccented letters, digits and hyphens (-), 2–50 characters.",
    },
    "username_format": {
        "vi": "«{label}» chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; 3–100 ký tự.",
        "en": "“{label}” takes lowercase unaccented letters, digits, dots, hyphens and underscores; 3–100 characters.",
    },
    "agency_for_staff": {
        "vi": "Cán bộ tiếp nhận, xử lý và lãnh đạo phải thuộc một cơ quan: hãy chọn «{label}».",
        "en": "Intake clerks, handlers and leaders belong to an agency: choose “{label}”.",
    },
    "agency_not_for_role": {
        "vi": "Người dân, quản trị và thanh tra không thuộc cơ quan nào: để trống «{label}».",
        "en": "Citizens, administrators and auditors belong to no agency: leave “{label}” empty.",
    },
    "self_deactivate": {
        "vi": "Không thể tự khóa tài khoản của chính mình.",
        "en": "You cannot deactivate your own account.",
    },
    "province_receiving": {
        "vi": "{name} đã tiếp nhận phản ánh, kiến nghị (đã có bộ phận đầu mối).",
        "en": "{name} already takes petitions (its intake office exists).",
    },
    "policy_from_file": {
        "vi": "«{label}» do tệp calendars/provinces/{province}.toml quy định; sửa tệp đó để đổi.",
        "en": "“{label}” is set by the file calendars/provinces/{province}.toml; change that file to change it.",
    },
    "same_agency": {
        "vi": "«{label}» phải khác cơ quan được chuyển đi.",
        "en": "“{label}” must differ from the agency whose cases move.",
    },
    "admin_exists": {
        "vi": "Đã có tài khoản quản trị đang hoạt động; quản trị viên đó tạo thêm tài khoản trên trang Quản trị.",
        "en": "An active administrator exists already; that administrator adds accounts on the admin pages.",
    },
    "self_role": {"vi": "Không thể tự đổi vai trò của chính mình.", "en": "You cannot change your own role."},
    "last_admin": {
        "vi": "Phải còn ít nhất một tài khoản quản trị đang hoạt động.",
        "en": "At least one active administrator account must remain.",
    },
    "parent_cycle": {
        "vi": "«{label}» không được là chính cơ quan này hoặc một cơ quan trực thuộc nó.",
        "en": "“{label}” cannot be the agency itself or one of its subordinate agencies.",
    },
    "intake_office_level": {
        "vi": "Bộ phận đầu mối tiếp nhận phải là cơ quan cấp tỉnh.",
        "en": "The intake office must be a province-level agency.",
    },
    "intake_office_taken": {
        "vi": "Tỉnh này đã có bộ phận đầu mối tiếp nhận: {name}.",
        "en": "This province already has an intake office: {name}.",
    },
    "bpmn_not_xml": {
        "vi": "«{label}»: tệp «{name}» không phải tệp BPMN (XML, đuôi .bpmn) do Camunda Modeler lưu.",
        "en": "“{label}”: “{name}” is not a BPMN file (XML, .bpmn) saved by Camunda Modeler.",
    },
}

# FieldError.message() renders from app.messages; this area keeps its own rules next to its operations.
for _rule, _texts in ADMIN_MESSAGES.items():
    MESSAGES.setdefault(_rule, _texts)
