use serde::{Deserialize, Serialize};

/// Who a user is to the school. Read from the database on every request, so
/// a change of role takes effect at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Student => "Студент",
            Role::Teacher => "Преподаватель",
            Role::Admin => "Администратор",
        }
    }
}

/// Where a user lands after signing in.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Teacher => "/teach",
        Role::Student | Role::Admin => "/my/profile",
    }
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
            item("/my/portfolio", "Портфолио"),
            item("/my/reviews", "Отзывы"),
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
        assert!(!hrefs(Some(Role::Teacher)).contains(&"/my/enrollments"));
        assert!(hrefs(Some(Role::Teacher)).contains(&"/teach"));
        assert!(!hrefs(Some(Role::Student)).contains(&"/teach"));
    }
}
