//! The demo school: seeded into an empty database so that the first run shows
//! a living site. Idempotent: it does nothing once any user exists.
mod bench_class;
mod family;
mod generated;
mod money;
mod money_year;
mod passes;
mod payroll;

pub use bench_class::add_class_with_passes;
pub use money_year::add_money_year;
pub use generated::{add_enrollment_history, add_generated_courses, add_generated_families, add_generated_students};

use super::entities::{course, course_slot, course_teacher, enrollment, portfolio_item, review, show, teacher, user};
use crate::domain::{
    CourseFormat, EnrollmentStatus, Role, enrollment::PartnerAnswer, portfolio::ItemKind, review::ReviewStatus,
};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
};

/// The password of every demo account; printed at start, never for real use.
pub const DEMO_PASSWORD: &str = "kulisy-demo";

/// (e-mail, role) of every demo account, in the order they are printed.
pub const DEMO_LOGINS: [(&str, Role); 7] = [
    ("admin@kulisy.test", Role::Admin),
    ("sokolova@kulisy.test", Role::Teacher),
    ("lebedev@kulisy.test", Role::Teacher),
    ("anna@kulisy.test", Role::Student),
    ("dmitry@kulisy.test", Role::Student),
    (family::PARENT, Role::Student),
    (family::TEEN, Role::Student),
];

struct DemoUser {
    email: &'static str,
    name: &'static str,
    role: Role,
    phone: &'static str,
}

const USERS: [DemoUser; 8] = [
    DemoUser { email: "admin@kulisy.test", name: "Ольга Николаевна Белова", role: Role::Admin, phone: "+7 495 120-45-00" },
    DemoUser { email: "sokolova@kulisy.test", name: "Ирина Викторовна Соколова", role: Role::Teacher, phone: "+7 916 200-11-22" },
    DemoUser { email: "lebedev@kulisy.test", name: "Михаил Андреевич Лебедев", role: Role::Teacher, phone: "+7 916 300-33-44" },
    DemoUser { email: "orlova@kulisy.test", name: "Екатерина Сергеевна Орлова", role: Role::Teacher, phone: "+7 916 400-55-66" },
    DemoUser { email: "anna@kulisy.test", name: "Анна Кузнецова", role: Role::Student, phone: "+7 903 111-22-33" },
    DemoUser { email: "dmitry@kulisy.test", name: "Дмитрий Волков", role: Role::Student, phone: "+7 903 222-33-44" },
    DemoUser { email: "maria@kulisy.test", name: "Мария Павлова", role: Role::Student, phone: "+7 903 333-44-55" },
    DemoUser { email: "nikita@kulisy.test", name: "Никита Смирнов", role: Role::Student, phone: "+7 903 444-55-66" },
];

/// (user index in USERS, specialization, biography)
const TEACHERS: [(usize, &str, &str); 3] = [
    (1, "Актёрское мастерство", "Актриса и режиссёр, выпускница Школы-студии МХАТ. Двадцать лет на сцене, пятнадцать — в педагогике. Ставит учебные спектакли по Чехову и Островскому и верит, что хороший этюд начинается с честного наблюдения."),
    (2, "Сценическая речь и вокал", "Педагог по сценической речи, кандидат искусствоведения. Работает с дыханием, голосом и стихотворным текстом; готовит студентов к прослушиваниям и озвучанию."),
    (3, "Сценическое движение и импровизация", "Хореограф и педагог по пластике. Ведёт тренинги по контактной импровизации, сценическому бою и работе с партнёром на площадке."),
];

struct DemoCourse {
    title: &'static str,
    description: &'static str,
    capacity: i32,
    /// Days from today to the first day of the term (negative: already running).
    starts_in_days: i64,
    weeks: i64,
    personal: bool,
    pair: bool,
    /// Indexes into TEACHERS.
    teachers: &'static [usize],
    /// (ISO weekday, hour, minute, minutes, room)
    slots: &'static [(i16, u32, u32, i32, &'static str)],
}

const COURSES: [DemoCourse; 6] = [
    DemoCourse {
        title: "Актёрское мастерство: основы",
        description: "Базовый курс для тех, кто впервые выходит на сцену. Внимание, воображение, сценическая правда и действие в предлагаемых обстоятельствах.\n\nЗанятия строятся на упражнениях и этюдах по системе Станиславского; в конце курса — открытый показ для друзей и родных.",
        capacity: 12, starts_in_days: 7, weeks: 12, personal: true, pair: true,
        teachers: &[0],
        slots: &[(1, 19, 0, 180, "Большой зал"), (4, 19, 0, 180, "Большой зал")],
    },
    DemoCourse {
        title: "Сценическая речь",
        description: "Дыхание, голос, дикция и орфоэпия. Учимся говорить так, чтобы вас слышал последний ряд, и читать стихи и прозу без пафоса.\n\nКурс полезен актёрам, ведущим и всем, кто выступает публично.",
        capacity: 8, starts_in_days: 3, weeks: 10, personal: true, pair: false,
        teachers: &[1],
        slots: &[(2, 18, 30, 90, "Класс № 2"), (6, 12, 0, 90, "Класс № 2")],
    },
    DemoCourse {
        title: "Сценическое движение и пластика",
        description: "Тело актёра как инструмент: координация, равновесие, работа с пространством и партнёром, основы сценического боя.\n\nУдобная одежда и сменная обувь обязательны.",
        capacity: 10, starts_in_days: -14, weeks: 13, personal: true, pair: true,
        teachers: &[2],
        slots: &[(3, 19, 0, 120, "Танцевальный класс")],
    },
    DemoCourse {
        title: "Импровизация",
        description: "Парный курс: учимся слышать партнёра, принимать предложения и строить сцену здесь и сейчас, без заготовленного текста.\n\nЗаписываться вдвоём — с другом или с партнёром, которого подберёт педагог.",
        capacity: 6, starts_in_days: 10, weeks: 8, personal: false, pair: true,
        teachers: &[2, 0],
        slots: &[(5, 19, 30, 120, "Малая сцена")],
    },
    DemoCourse {
        title: "Работа перед камерой",
        description: "Крупный план, работа с текстом в кадре, самопробы и кастинги. Каждое занятие снимаем и разбираем.\n\nКурс для тех, кто уже прошёл основы актёрского мастерства.",
        capacity: 4, starts_in_days: 5, weeks: 9, personal: true, pair: true,
        teachers: &[0],
        slots: &[(6, 15, 0, 150, "Студия")],
    },
    DemoCourse {
        title: "Вокал для драматических актёров",
        description: "Постановка голоса, песня в спектакле, ансамблевое пение. Репертуар — от романса до мюзикла.\n\nНотная грамота не обязательна.",
        capacity: 5, starts_in_days: 14, weeks: 12, personal: true, pair: true,
        teachers: &[1],
        slots: &[(7, 13, 0, 90, "Класс № 3"), (3, 17, 0, 60, "Класс № 3")],
    },
];

/// (title, days from today, hour, venue, description)
const SHOWS: [(&str, i64, u32, &str, &str); 4] = [
    ("Вишнёвый сад", 6, 19, "Учебная сцена «Кулис», ул. Театральная, 5", "Выпускной спектакль мастерской И. В. Соколовой по пьесе А. П. Чехова.\n\nПродолжительность — 2 часа 40 минут с антрактом. Вход свободный по предварительной записи."),
    ("Ревизор", 13, 19, "Учебная сцена «Кулис», ул. Театральная, 5", "Комедия Н. В. Гоголя в постановке студентов второго года.\n\nСпектакль для зрителей старше 12 лет."),
    ("Вечер этюдов", 20, 18, "Малая сцена «Кулис»", "Открытый показ студентов курса «Актёрское мастерство: основы»: этюды на наблюдение, парные сцены и импровизации.\n\nПосле показа — разговор с педагогами."),
    ("Двенадцатая ночь", 33, 19, "Дом культуры «Октябрь», большой зал", "Шекспировская комедия о близнецах, переодеваниях и любви — совместный проект курсов движения и вокала."),
];

/// The last `day` of the week before `today` (a week back when today is one).
fn last_weekday(today: NaiveDate, day: chrono::Weekday) -> NaiveDate {
    today - chrono::Days::new(u64::from((today.weekday().days_since(day) + 6) % 7 + 1))
}

/// The next `day` of the week after `today` (a week on when today is one).
fn next_weekday(today: NaiveDate, day: chrono::Weekday) -> NaiveDate {
    today + chrono::Days::new(u64::from((day.days_since(today.weekday()) + 6) % 7 + 1))
}

/// Seeds the demo school if the database has no users yet. Returns whether it did.
pub async fn ensure_demo_school(
    db: &DatabaseConnection,
    tz: chrono_tz::Tz,
) -> Result<bool, DbErr> {
    if user::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let password_hash = super::password::hash(DEMO_PASSWORD.to_string()).await;
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();

    let txn = super::db::write(db).await?;
    let mut user_ids = Vec::with_capacity(USERS.len());
    for u in &USERS {
        let email = crate::domain::Email::parse(u.email).expect("demo addresses are valid");
        let mut account = super::entities::user::new_account(&email, password_hash.clone(), u.role, u.name.into(), true);
        account.phone = Set(Some(u.phone.to_string()));
        let res = user::Entity::insert(account).exec(&txn).await?;
        user_ids.push(res.last_insert_id);
    }

    let mut teacher_ids = Vec::with_capacity(TEACHERS.len());
    for (user_index, specialization, bio) in TEACHERS {
        let res = teacher::Entity::insert(teacher::ActiveModel {
            user_id: Set(user_ids[user_index]),
            specialization: Set(specialization.to_string()),
            bio: Set(bio.to_string()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        teacher_ids.push(res.last_insert_id);
    }

    let mut course_ids = Vec::with_capacity(COURSES.len());
    for c in &COURSES {
        let term_start = today + Duration::days(c.starts_in_days);
        let term_end = term_start + Duration::weeks(c.weeks) - Duration::days(1);
        let res = course::Entity::insert(course::ActiveModel {
            title: Set(c.title.to_string()),
            description: Set(c.description.to_string()),
            capacity: Set(c.capacity),
            term_start: Set(term_start),
            term_end: Set(term_end),
            offers_personal: Set(c.personal),
            offers_pair: Set(c.pair),
            is_published: Set(true),
            seat_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        let course_id = res.last_insert_id;
        course_ids.push((course_id, term_start, term_end));
        for &t in c.teachers {
            course_teacher::Entity::insert(course_teacher::ActiveModel {
                course_id: Set(course_id),
                teacher_id: Set(teacher_ids[t]),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        for &(weekday, hour, minute, minutes, room) in c.slots {
            course_slot::Entity::insert(course_slot::ActiveModel {
                course_id: Set(course_id),
                weekday: Set(weekday),
                starts_at: Set(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time")),
                duration_minutes: Set(minutes),
                room: Set(room.to_string()),
                ..Default::default()
            })
            .exec(&txn)
            .await?;
        }
    }

    // A few requests so that availability differs between courses: the
    // camera course (4 seats) is full with two pairs.
    let anna = user_ids[4];
    let dmitry = user_ids[5];
    let maria = user_ids[6];
    let nikita = user_ids[7];
    let enrollments = [
        (anna, 0, 0, CourseFormat::Personal, None, EnrollmentStatus::Confirmed),
        (maria, 0, 0, CourseFormat::Personal, None, EnrollmentStatus::Pending),
        (anna, 4, 0, CourseFormat::Pair, Some(nikita), EnrollmentStatus::Confirmed),
        (dmitry, 4, 0, CourseFormat::Pair, Some(maria), EnrollmentStatus::Pending),
        (nikita, 1, 1, CourseFormat::Personal, None, EnrollmentStatus::Pending),
    ];
    let mut enrollment_ids = Vec::with_capacity(enrollments.len());
    for (student, course_index, teacher_index, format, partner, status) in enrollments {
        let (course_id, start, end) = course_ids[course_index];
        let res = enrollment::Entity::insert(enrollment::ActiveModel {
            student_id: Set(Some(student)),
            course_id: Set(course_id),
            teacher_id: Set(Some(teacher_ids[teacher_index])),
            format: Set(format),
            partner_id: Set(partner),
            partner_status: Set(partner.map(|_| PartnerAnswer::Accepted)),
            period_start: Set(start),
            period_end: Set(end),
            status: Set(status),
            seats: Set(format.seats() as i16),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        enrollment_ids.push(res.last_insert_id);
    }

    // Анна's first course has a published review; her portfolio two
    // achievements anyone may see.
    review::Entity::insert(review::ActiveModel {
        author_id: Set(Some(anna)),
        enrollment_id: Set(Some(enrollment_ids[0])),
        course_id: Set(course_ids[0].0),
        teacher_id: Set(Some(teacher_ids[0])),
        rating: Set(5),
        body: Set("Ирина Викторовна бережно и точно ведёт каждого: за месяц я перестала бояться сцены.".into()),
        status: Set(ReviewStatus::Published),
        edited_by_moderator: Set(false),
        published_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    for (position, (title, description)) in [
        ("Диплом фестиваля «Театральная весна»", "Лучшая женская роль в студенческом спектакле «Чайка»."),
        ("Роль Офелии, «Гамлет»", "Учебный спектакль школы «Кулисы», малая сцена."),
    ]
    .into_iter()
    .enumerate()
    {
        portfolio_item::Entity::insert(portfolio_item::ActiveModel {
            owner_id: Set(anna),
            kind: Set(ItemKind::Text),
            title: Set(title.into()),
            description: Set(description.into()),
            occurred_on: Set(Some(today - Duration::days(60 * (position as i64 + 1)))),
            position: Set(position as i32),
            is_public: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }

    for (title, days, hour, venue, description) in SHOWS {
        let day: NaiveDate = today + Duration::days(days);
        let local = day.and_hms_opt(hour, 0, 0).expect("valid time");
        let starts_at = tz
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local));
        show::Entity::insert(show::ActiveModel {
            title: Set(title.to_string()),
            starts_at: Set(starts_at),
            venue: Set(venue.to_string()),
            description: Set(description.to_string()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
    }
    let (children_courses, son) = family::seed(&txn, &password_hash, &teacher_ids, today).await?;
    passes::seed(&txn, &children_courses, son, &teacher_ids, today).await?;
    money::seed(&txn, son, today).await?;
    payroll::seed(&txn, &teacher_ids, course_ids[2].0, [maria, nikita], today).await?;
    txn.commit().await?;
    super::addresses::settle_missing(db).await?;
    Ok(true)
}

/// The lines printed at start so that a newcomer can log in at once.
pub fn demo_logins_text() -> String {
    let mut out = format!("Демо-входы (пароль у всех: {DEMO_PASSWORD}):\n");
    for (email, role) in DEMO_LOGINS {
        out.push_str(&format!("  {:<15} {email}\n", role.label()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn the_last_and_next_weekday_are_never_today() {
        let wednesday = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        assert_eq!(last_weekday(wednesday, Weekday::Wed), wednesday - Duration::days(7));
        assert_eq!(last_weekday(wednesday, Weekday::Tue), wednesday - Duration::days(1));
        assert_eq!(last_weekday(wednesday, Weekday::Thu), wednesday - Duration::days(6));
        assert_eq!(next_weekday(wednesday, Weekday::Wed), wednesday + Duration::days(7));
        assert_eq!(next_weekday(wednesday, Weekday::Thu), wednesday + Duration::days(1));
        assert_eq!(next_weekday(wednesday, Weekday::Tue), wednesday + Duration::days(6));
    }
}
