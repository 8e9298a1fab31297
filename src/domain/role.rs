
/// Who a user is to the school. Read from the database on every request, so
/// a change of role takes effect at once.
/// On the wire, in addresses and in forms it is its slug (`student`…); a
/// value that is none of them is refused while the request is parsed (400).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(16))")
)]
pub enum Role {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "student"))]
    Student,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "teacher"))]
    Teacher,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "admin"))]
    Admin,
}

super::slug::slug_serde!(Role);

impl Role {
    pub const ALL: [Role; 3] = [Role::Student, Role::Teacher, Role::Admin];

    /// The role as forms and addresses write it (the same as on the wire).
    pub fn slug(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Teacher => "teacher",
            Role::Admin => "admin",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Student => "Студент",
            Role::Teacher => "Преподаватель",
            Role::Admin => "Администратор",
        }
    }
}

/// Where each role's work is: the page a user lands on after signing in
/// when they did not ask for another.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "/admin",
        Role::Teacher => "/teach",
        Role::Student => "/my/enrollments",
    }
}

/// Where a user lands after signing in: the page they were stopped at, if
/// `requested` is a path of this site worth returning to, else their home.
/// The value comes from an address anyone can craft, so only a plain
/// same-site path passes: no scheme, no `//host`, no backslash (browsers
/// read `/\host` as another host), nothing but visible ASCII.
pub fn landing(role: Role, requested: Option<&str>) -> String {
    requested.filter(|path| is_return_path(path)).unwrap_or(home_of(role)).to_string()
}

/// The sign-in pages themselves lead nowhere after signing in.
const NOT_RETURNED_TO: &[&str] = &["/login", "/register", "/forgot", "/reset-password", "/confirm-email", "/api/"];

fn is_return_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.len() <= 512
        && bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/'))
        && bytes.iter().all(|b| (0x21..=0x7e).contains(b) && *b != b'\\')
        && !NOT_RETURNED_TO.iter().any(|p| path.starts_with(p))
}

/// One link of the site header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

const fn item(href: &'static str, label: &'static str) -> NavItem {
    NavItem { href, label }
}

/// The header's links for a visitor (`None`) or a signed-in user. Pages check
/// the role on the server again: hiding a link protects nothing.
pub fn nav_items(role: Option<Role>) -> Vec<NavItem> {
    let mut items = vec![
        item("/afisha", "Афиша"),
        item("/courses", "Курсы и расписание"),
    ];
    // Only pages that exist are linked; each area adds its own as it lands.
    match role {
        None => {}
        Some(Role::Student) => items.extend([
            item("/my/enrollments", "Мои записи"),
            item("/my/passes", "Абонементы"),
            item("/my/payments", "Оплата"),
            item("/my/portfolio", "Портфолио"),
            item("/my/reviews", "Отзывы"),
            item("/my/family", "Семья"),
            item("/my/profile", "Профиль"),
        ]),
        Some(Role::Teacher) => items.extend([
            item("/teach", "Кабинет педагога"),
            item("/my/profile", "Профиль"),
        ]),
        Some(Role::Admin) => items.extend([
            item("/admin", "Администрирование"),
            item("/my/profile", "Профиль"),
        ]),
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hrefs(role: Option<Role>) -> Vec<&'static str> {
        nav_items(role).into_iter().map(|i| i.href).collect()
    }

    #[test]
    fn each_role_lands_where_its_work_is() {
        assert_eq!(landing(Role::Admin, None), "/admin");
        assert_eq!(landing(Role::Teacher, None), "/teach");
        assert_eq!(landing(Role::Student, None), "/my/enrollments");
    }

    #[test]
    fn a_requested_page_of_this_site_is_returned_to() {
        assert_eq!(landing(Role::Admin, Some("/admin/people?role=teacher&page=2")), "/admin/people?role=teacher&page=2");
        assert_eq!(landing(Role::Student, Some("/courses/3/enroll")), "/courses/3/enroll");
    }

    #[test]
    fn anything_but_a_plain_path_of_this_site_lands_home() {
        for hostile in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example/",
            "/\\/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/my/enrollments\r\nSet-Cookie: x=1",
            "/my/ enrollments",
            "/курсы",
            "/login?next=/admin",
            "/register",
            "/api/account/logout",
        ] {
            assert_eq!(landing(Role::Student, Some(hostile)), "/my/enrollments", "{hostile:?}");
        }
        assert_eq!(landing(Role::Student, Some(&format!("/{}", "a".repeat(600)))), "/my/enrollments");
    }

    #[test]
    fn visitors_see_only_public_pages() {
        assert_eq!(hrefs(None), ["/afisha", "/courses"]);
    }

    #[test]
    fn each_role_sees_its_own_area_and_no_other() {
        for role in [Role::Student, Role::Teacher] {
            let links = hrefs(Some(role));
            assert!(links.contains(&"/my/profile"));
            assert!(!links.iter().any(|h| h.starts_with("/admin")), "{role:?}");
        }
        assert!(hrefs(Some(Role::Admin)).contains(&"/admin"));
        assert!(hrefs(Some(Role::Student)).contains(&"/my/enrollments"));
        assert!(hrefs(Some(Role::Student)).contains(&"/my/family"));
        assert!(!hrefs(Some(Role::Teacher)).contains(&"/my/enrollments"));
        assert!(hrefs(Some(Role::Teacher)).contains(&"/teach"));
        assert!(!hrefs(Some(Role::Student)).contains(&"/teach"));
    }
}
