"""The administration's input rules: msgids of the one catalogue, rendered by app.messages.render."""

from app.translation import N_

ADMIN_RULES = {
    "unique": N_("«%(label)s» «%(value)s» đã có, hãy chọn giá trị khác."),
    "code_format": N_("«%(label)s» chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang (-), 2–50 ký tự."),
    "username_format": N_(
        "«%(label)s» chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới; 3–100 ký tự."
    ),
    "agency_for_staff": N_("Cán bộ tiếp nhận, xử lý và lãnh đạo phải thuộc một cơ quan: hãy chọn «%(label)s»."),
    "agency_not_for_role": N_("Người dân, quản trị và thanh tra không thuộc cơ quan nào: để trống «%(label)s»."),
    "self_deactivate": N_("Không thể tự khóa tài khoản của chính mình."),
    "province_receiving": N_("%(name)s đã tiếp nhận phản ánh, kiến nghị (đã có bộ phận đầu mối)."),
    "policy_from_file": N_("«%(label)s» do tệp lịch riêng của tỉnh quy định; quản trị máy chủ sửa tệp đó để đổi."),
    "date_dmy": N_("«%(label)s» phải là ngày dạng ngày/tháng/năm, ví dụ 02/09/2026."),
    "same_agency": N_("«%(label)s» phải khác cơ quan được chuyển đi."),
    "admin_exists": N_(
        "Đã có tài khoản quản trị đang hoạt động; quản trị viên đó tạo thêm tài khoản trên trang Quản trị."
    ),
    "self_role": N_("Không thể tự đổi vai trò của chính mình."),
    "last_admin": N_("Phải còn ít nhất một tài khoản quản trị đang hoạt động."),
    "parent_cycle": N_("«%(label)s» không được là chính cơ quan này hoặc một cơ quan trực thuộc nó."),
    "intake_office_level": N_("Bộ phận đầu mối tiếp nhận phải là cơ quan cấp tỉnh."),
    "intake_office_taken": N_("Tỉnh này đã có bộ phận đầu mối tiếp nhận: %(name)s."),
    "bpmn_not_xml": N_("«%(label)s»: tệp «%(name)s» không phải tệp BPMN (XML, đuôi .bpmn) do Camunda Modeler lưu."),
}
