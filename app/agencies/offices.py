"""Who works at a province's focal intake office (Văn phòng UBND tỉnh): the rule several permissions share."""


def at_intake_office(user, province_code: str, roles=("intake",)) -> bool:
    """`user` holds one of `roles` at the intake office of `province_code`."""
    agency = getattr(user, "agency", None)
    return (
        user is not None
        and user.role in roles
        and agency is not None
        and agency.is_intake_office
        and agency.province_code == province_code
    )
