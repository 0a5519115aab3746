//! The demo users and the units added under Thành uỷ Hà Nội. Names are invented.

use theodoi_domain::user::{Clearance, Role};

/// A demo user account.
#[derive(Debug, Clone, Copy)]
pub(super) struct Person {
    pub username: &'static str,
    pub full_name: &'static str,
    pub org: &'static str,
    /// The first role is the one the login list shows.
    pub roles: &'static [Role],
    pub clearance: Clearance,
}

/// Data-entry officer of the Central Party Office; registers documents and enters tasks.
pub(super) const CENTRAL_OFFICE: &str = "vptw.nhaplieu";
/// Monitoring officer of the Central Party Office; evaluates updates and urges bodies.
pub(super) const MONITOR: &str = "vptw.theodoi";
/// Approver of Thành uỷ Hà Nội who also follows the work of its own units.
pub(super) const HANOI_MONITOR: &str = "hni.pheduyet2";

/// The updater and approver of one body, and who evaluates that body's updates.
#[derive(Debug, Clone, Copy)]
pub(super) struct Team {
    pub updater: &'static str,
    pub approver: &'static str,
    /// Monitoring officer of the task's monitoring body; `None` leaves updates unevaluated.
    pub evaluator: Option<&'static str>,
}

pub(super) const OFFICE_TEAM: Team = Team {
    updater: "vptw.capnhat",
    approver: "vptw.pheduyet",
    evaluator: Some(MONITOR),
};
pub(super) const HANOI: Team = Team {
    updater: "hni.capnhat",
    approver: "hni.pheduyet",
    evaluator: Some(MONITOR),
};
pub(super) const HO_CHI_MINH: Team = Team {
    updater: "hcm.capnhat",
    approver: "hcm.pheduyet",
    evaluator: Some(MONITOR),
};
pub(super) const THANH_HOA: Team = Team {
    updater: "tha.capnhat",
    approver: "tha.pheduyet",
    evaluator: Some(MONITOR),
};
pub(super) const GOVERNMENT: Team = Team {
    updater: "ducp.capnhat",
    approver: "ducp.pheduyet",
    evaluator: Some(MONITOR),
};
pub(super) const CIPHER: Team = Team {
    updater: "bcycp.capnhat",
    approver: "bcycp.pheduyet",
    evaluator: Some(MONITOR),
};
/// Văn phòng Thành uỷ Hà Nội; Thành uỷ Hà Nội monitors its sub-tasks.
pub(super) const HANOI_OFFICE: Team = Team {
    updater: "hnivp.capnhat",
    approver: "hnivp.pheduyet",
    evaluator: Some(HANOI_MONITOR),
};
/// Ban Tuyên giáo và Dân vận Thành uỷ Hà Nội; Thành uỷ Hà Nội monitors its sub-tasks.
pub(super) const HANOI_PROPAGANDA: Team = Team {
    updater: "btgdv.capnhat",
    approver: "btgdv.pheduyet",
    evaluator: Some(HANOI_MONITOR),
};

/// Units added under Thành uỷ Hà Nội for the delegation example: code, Vietnamese and English
/// names.
pub(super) const HANOI_UNITS: [(&str, &str, &str); 2] = [
    (
        "HNI-BTGDV",
        "Ban Tuyên giáo và Dân vận Thành uỷ Hà Nội",
        "Propaganda and Mass Mobilisation Commission of the Hanoi Party Committee",
    ),
    (
        "HNI-VPTU",
        "Văn phòng Thành uỷ Hà Nội",
        "Office of the Hanoi Party Committee",
    ),
];

/// Every demo account. The logins shown to demo users follow this order, so the first account
/// with each role is the one to try that role with.
pub(super) const PEOPLE: &[Person] = &[
    Person {
        username: CENTRAL_OFFICE,
        full_name: "Phạm Thị Thanh Huyền",
        org: "VPTW",
        roles: &[Role::CentralOffice],
        clearance: Clearance::Secret,
    },
    Person {
        username: "vptw.quantri",
        full_name: "Đỗ Minh Khôi",
        org: "VPTW",
        roles: &[Role::Administrator],
        clearance: Clearance::Normal,
    },
    Person {
        username: "vptw.lanhdao",
        full_name: "Lê Văn Tường",
        org: "VPTW",
        roles: &[Role::LeaderViewer],
        clearance: Clearance::Confidential,
    },
    Person {
        username: MONITOR,
        full_name: "Đặng Thu Trang",
        org: "VPTW",
        roles: &[Role::MonitoringOfficer],
        clearance: Clearance::Secret,
    },
    Person {
        username: "ubkttw.kiemtra",
        full_name: "Hoàng Thị Mai Lan",
        org: "UBKTTW",
        roles: &[Role::Inspector],
        clearance: Clearance::Confidential,
    },
    Person {
        username: "hni.capnhat",
        full_name: "Nguyễn Đức Thắng",
        org: "TU-HNI",
        roles: &[Role::Updater],
        clearance: Clearance::Confidential,
    },
    Person {
        username: "hni.pheduyet",
        full_name: "Vũ Thị Hồng Nhung",
        org: "TU-HNI",
        roles: &[Role::Approver],
        clearance: Clearance::Confidential,
    },
    Person {
        username: HANOI_MONITOR,
        full_name: "Bùi Quang Vinh",
        org: "TU-HNI",
        roles: &[Role::Approver, Role::MonitoringOfficer],
        clearance: Clearance::Confidential,
    },
    Person {
        username: "tha.capnhat",
        full_name: "Lê Thị Phương Thảo",
        org: "TU-THA",
        roles: &[Role::Updater],
        clearance: Clearance::Normal,
    },
    Person {
        username: "tha.pheduyet",
        full_name: "Trịnh Văn Hải",
        org: "TU-THA",
        roles: &[Role::Approver],
        clearance: Clearance::Normal,
    },
    Person {
        username: "btgdv.capnhat",
        full_name: "Ngô Thanh Tùng",
        org: "HNI-BTGDV",
        roles: &[Role::Updater],
        clearance: Clearance::Normal,
    },
    Person {
        username: "btgdv.pheduyet",
        full_name: "Phan Thị Ngọc Ánh",
        org: "HNI-BTGDV",
        roles: &[Role::Approver],
        clearance: Clearance::Normal,
    },
    Person {
        username: "hnivp.capnhat",
        full_name: "Lại Văn Khánh",
        org: "HNI-VPTU",
        roles: &[Role::Updater],
        clearance: Clearance::Normal,
    },
    Person {
        username: "hnivp.pheduyet",
        full_name: "Quách Thị Yến",
        org: "HNI-VPTU",
        roles: &[Role::Approver],
        clearance: Clearance::Normal,
    },
    Person {
        username: "vptw.capnhat",
        full_name: "Cao Văn Dũng",
        org: "VPTW",
        roles: &[Role::Updater],
        clearance: Clearance::Normal,
    },
    Person {
        username: "vptw.pheduyet",
        full_name: "Lương Thị Hạnh",
        org: "VPTW",
        roles: &[Role::Approver],
        clearance: Clearance::Normal,
    },
    Person {
        username: "hcm.capnhat",
        full_name: "Huỳnh Văn Phúc",
        org: "TU-HCM",
        roles: &[Role::Updater],
        clearance: Clearance::Normal,
    },
    Person {
        username: "hcm.pheduyet",
        full_name: "Trương Thị Kim Oanh",
        org: "TU-HCM",
        roles: &[Role::Approver],
        clearance: Clearance::Normal,
    },
    Person {
        username: "ducp.capnhat",
        full_name: "Đinh Công Minh",
        org: "DUCP",
        roles: &[Role::Updater],
        clearance: Clearance::Normal,
    },
    Person {
        username: "ducp.pheduyet",
        full_name: "Tạ Thị Thu Hương",
        org: "DUCP",
        roles: &[Role::Approver],
        clearance: Clearance::Normal,
    },
    Person {
        username: "bcycp.capnhat",
        full_name: "Kiều Văn Sơn",
        org: "BCYCP",
        roles: &[Role::Updater],
        clearance: Clearance::Normal,
    },
    Person {
        username: "bcycp.pheduyet",
        full_name: "Mai Thị Hoa",
        org: "BCYCP",
        roles: &[Role::Approver],
        clearance: Clearance::Normal,
    },
];
