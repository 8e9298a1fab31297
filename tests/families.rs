//! Families (issue #32): a guardian adds children with consent, books and
//! cancels for them within the courses' ages, every guardian reads the
//! letters, teachers see whom to call, no family reaches another's child,
//! and children leave with their last guardian or at 18.
#![cfg(feature = "ssr")]
mod common;
use chrono::Months;
use common::{Browser, TestApp, TestCourse, family::{add_child, born, child}};
use kulisy::{
    domain::{EnrollmentStatus, Role},
    server::{entities::{audit_log, course, family_child, family_guardian, user}, families},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

/// A course for ages `min..` (or `..=max`).
async fn aged_course(app: &TestApp, title: &str, min: Option<i16>, max: Option<i16>) -> TestCourse {
    let c = app.course(title, 1, 10, 8).await;
    let mut row: course::ActiveModel = course::Entity::find_by_id(c.id).one(&app.state.db).await.unwrap().unwrap().into();
    (row.age_min, row.age_max) = (Set(min), Set(max));
    row.update(&app.state.db).await.unwrap();
    c
}

fn booking_for(course: &TestCourse, member: i32) -> Vec<(&'static str, String)> {
    let mut form = course.booking("personal");
    form.iter_mut().find(|(k, _)| *k == "member").unwrap().1 = member.to_string();
    form
}

async fn a_guardian_adds_children_with_consent(app: TestApp) {
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    let nine = born(9, app.today()).to_string();
    // Consent, a plausible past birth date in the date field's format, a name.
    let refused = b.call("/api/family/add", &[("full_name", "Миша"), ("birth_date", &nine), ("teacher_notes", "")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Без вашего согласия"), "{}", refused.body);
    let tomorrow = (app.today() + chrono::Duration::days(1)).to_string();
    for (birth, message) in [
        (tomorrow.as_str(), "не может быть в будущем"),
        ("1900-01-01", "больше ста лет назад"),
        ("01.02.2017", "выберите её в календаре"),
        ("", "Укажите дату рождения"),
    ] {
        let res = add_child(&mut b, "Миша", birth, "").await;
        assert_eq!(res.status, 422, "{birth}");
        assert!(res.body.contains(message) && res.body.contains("birth_date"), "{birth}: {}", res.body);
    }
    let adult = born(18, app.today()).to_string();
    assert!(add_child(&mut b, "Вера", &adult, "").await.body.contains("меньше 18 лет"));
    assert!(families::family_guarded_by(&app.state.db, mother.id).await.unwrap().is_none(), "nothing half-written");

    // Sent twice (a double click): one child.
    let name = "Миша <b>Морозов</b>";
    for _ in 0..2 {
        assert!(add_child(&mut b, name, &nine, "Аллергия на орехи").await.ok());
    }
    let misha = child(&app, &mother, name).await;
    assert!(!families::has_login(&misha) && misha.password_hash.is_empty());
    let link = family_child::Entity::find().filter(family_child::Column::ChildId.eq(misha.id)).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(link.consented_by, Some(mother.id));
    assert_eq!(link.policy_version, kulisy::server::settings::privacy_policy_version(&app.state.db).await.unwrap());
    assert!(link.photos_consented_at.is_none(), "photos need their own consent");
    let family = b.call("/api/family", &[]).await.json();
    assert_eq!(family["children"].as_array().unwrap().len(), 1);
    assert_eq!(family["children"][0]["age"], "9 лет");
    // The page keeps typed markup text.
    let page = b.get("/my/family").await;
    assert!(page.body.contains("Миша &lt;b&gt;Морозов&lt;/b&gt;") && !page.body.contains("<b>Морозов"), "{}", page.body);

    // The guardian edits the child; the audit log says what changed, never the notes.
    let id = misha.id.to_string();
    let saved = b.call("/api/family/update", &[("child", &id), ("full_name", "Михаил Морозов"), ("birth_date", &nine), ("teacher_notes", "Астма, ингалятор в рюкзаке"), ("photos", "on")]).await;
    assert!(saved.ok(), "{}", saved.body);
    let log: Vec<String> = audit_log::Entity::find().all(&app.state.db).await.unwrap().into_iter().map(|r| format!("{} {}", r.action, r.changes)).collect();
    assert!(log.iter().any(|l| l.starts_with("family.child_added")) && log.iter().any(|l| l.starts_with("family.child_changed") && l.contains("изменены")), "{log:?}");
    assert!(!log.iter().any(|l| l.contains("Астма") || l.contains("орехи")), "notes stay out of the log: {log:?}");
    // A guardian cannot add an adult by editing either.
    let older = b.call("/api/family/update", &[("child", &id), ("full_name", "Михаил"), ("birth_date", &adult), ("teacher_notes", "")]).await;
    assert_eq!(older.status, 422);

    // The child's data goes at the guardian's word, confirmed.
    assert_eq!(b.call("/api/family/remove", &[("child", &id)]).await.status, 422);
    assert!(b.call("/api/family/remove", &[("child", &id), ("confirm", "on")]).await.ok());
    assert!(user::Entity::find_by_id(misha.id).one(&app.state.db).await.unwrap().is_none());
}

async fn ages_are_checked_on_the_courses_first_day(app: TestApp) {
    let course = aged_course(&app, "Детская студия", Some(8), Some(10)).await;
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    let birthday_on_first_day = born(8, course.term_start);
    let day_later = birthday_on_first_day + chrono::Duration::days(1);
    assert!(add_child(&mut b, "Маша", &birthday_on_first_day.to_string(), "").await.ok());
    assert!(add_child(&mut b, "Даша", &day_later.to_string(), "").await.ok());
    let (masha, dasha) = (child(&app, &mother, "Маша").await, child(&app, &mother, "Даша").await);

    let too_young = b.submit(common::ENROLL, &booking_for(&course, dasha.id)).await;
    assert_eq!(too_young.status, 422, "{}", too_young.body);
    assert!(too_young.body.contains("Курс для возраста 8–10 лет, а Даша на первое занятие"), "{}", too_young.body);
    assert!(too_young.body.contains("7 лет"), "{}", too_young.body);
    assert!(b.submit(common::ENROLL, &booking_for(&course, masha.id)).await.ok(), "8 on the first day fits");
    let requests = app.enrollments_of(course.id).await;
    assert_eq!(requests.iter().map(|e| e.student_id).collect::<Vec<_>>(), [Some(masha.id)]);
    // The mother herself (no birth date: an adult) is told where children are added.
    let me = b.submit(common::ENROLL, &booking_for(&course, mother.id)).await;
    assert!(me.body.contains("«Семья»"), "{}", me.body);

    // The wizard asks «Кого записываем?» first, and names the age problem there.
    let wizard = b.get(&format!("/courses/{}/enroll", course.id)).await;
    assert!(wizard.body.contains("Кого записываем?") && wizard.body.contains("Маша"), "{}", wizard.body);
    let wizard = b.get(&format!("/courses/{}/enroll?member={}&step=teacher", course.id, dasha.id)).await;
    assert!(wizard.body.contains("а Даша на первое занятие"), "{}", wizard.body);

    // The schedule: the range on the card, a filter by age, JSON-LD.
    kulisy::server::addresses::settle_missing(&app.state.db).await.unwrap();
    let other = app.course("Для взрослых", 5, 3, 4).await;
    let eight = app.get("/courses?age=8").await;
    assert!(eight.body.contains("Детская студия") && eight.body.contains("8–10 лет"), "{}", eight.body);
    let twelve = app.get("/courses?age=12").await;
    assert!(!twelve.body.contains("Детская студия") && twelve.body.contains("Для взрослых"));
    let page = app.get("/courses/detskaya-studiya").await;
    assert!(page.body.contains(r#""typicalAgeRange":"8-10""#), "{}", page.body);
    assert!(!app.get(&format!("/courses/{}", other.id)).await.body.contains("typicalAgeRange"));
}

/// A second guardian of `guardian`'s family, written directly.
async fn second_guardian<'a>(app: &'a TestApp, guardian: &user::Model, email: &str) -> (user::Model, Browser<'a>) {
    let (other, b) = app.signed_in(email, "Олег Морозов", Role::Student).await;
    let family = families::family_guarded_by(&app.state.db, guardian.id).await.unwrap().unwrap();
    family_guardian::ActiveModel { family_id: Set(family), user_id: Set(other.id), created_at: Set(chrono::Utc::now()), ..Default::default() }
        .insert(&app.state.db)
        .await
        .unwrap();
    (other, b)
}

async fn letters_about_a_child_reach_every_guardian(app: TestApp) {
    let course = app.course("Этюды", 5, 10, 8).await;
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    assert!(add_child(&mut b, "Миша", &born(9, app.today()).to_string(), "Аллергия на орехи").await.ok());
    let misha = child(&app, &mother, "Миша").await;
    let (_, mut dad) = second_guardian(&app, &mother, "father@example.ru").await;
    assert!(b.submit(common::ENROLL, &booking_for(&course, misha.id)).await.ok());
    let request = app.enrollments_of(course.id).await.pop().unwrap();
    assert_eq!((request.student_id, request.status), (Some(misha.id), EnrollmentStatus::Pending));

    let letters = app.outbox().await;
    let to = |addr: &str| letters.iter().filter(|m| m.to_addr == addr).map(|m| m.subject.clone()).collect::<Vec<_>>();
    assert_eq!(to("mother@example.ru"), ["Заявка на курс получена"]);
    assert_eq!(to("father@example.ru"), ["Заявка на курс получена"]);
    assert!(letters.iter().all(|m| families::is_deliverable(&m.to_addr)), "nothing to the child's reserved address");
    let teacher_letter = letters.iter().find(|m| m.to_addr == course.teacher_email).unwrap();
    assert!(teacher_letter.body_text.contains("Миша записывается"), "{}", teacher_letter.body_text);
    assert!(letters.iter().all(|m| !m.body_text.contains("орехи")), "notes stay out of letters");
    let for_father = letters.iter().find(|m| m.to_addr == "father@example.ru").unwrap();
    assert!(for_father.body_text.contains("представитель ученика: Миша"), "{}", for_father.body_text);

    // The teacher confirms: both guardians hear it, with the calendar.
    let teacher = app.user(&course.teacher_email).await.unwrap();
    let mut t = app.browser_as(&teacher).await;
    let id = request.id.to_string();
    assert!(t.call("/api/teaching/decide", &[("id", &id), ("decision", "confirm"), ("reason", "")]).await.ok());
    let confirmed: Vec<_> = app.outbox().await.into_iter().filter(|m| m.subject == "Заявка подтверждена").collect();
    assert_eq!(confirmed.iter().map(|m| m.to_addr.as_str()).collect::<Vec<_>>(), ["mother@example.ru", "father@example.ru"]);
    assert!(confirmed.iter().all(|m| m.attachment_name.as_deref() == Some("kulisy.ics")));

    // Each guardian's history groups the child's requests under the child.
    let history = dad.call("/api/enrollments/mine", &[]).await.json();
    assert_eq!(history["children"][0]["name"], "Миша");
    assert_eq!(history["children"][0]["enrollments"][0]["status"], "confirmed");
    assert!(history["own"].as_array().unwrap().is_empty());
    assert_eq!(dad.get(&format!("/my/enrollments/{id}/calendar.ics")).await.status, 200);
    // The guardian's calendar feed carries the child's lessons, named for him.
    assert!(dad.call("/api/enrollments/feed", &[("change", "on")]).await.ok());
    let url = dad.call("/api/enrollments/mine", &[]).await.json()["feed_url"].as_str().unwrap().to_string();
    let feed = app.get(url.strip_prefix("http://kulisy.test:3000").unwrap()).await;
    assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), 1, "{}", feed.body);
    assert!(feed.body.contains("SUMMARY:Этюды (Миша) — «Кулисы»"), "{}", feed.body);
    let page = dad.get("/my/enrollments").await;
    assert!(page.body.contains("<h2>Миша</h2>"), "{}", page.body);
    // The other guardian cancels before the term starts.
    assert!(dad.call("/api/enrollments/cancel", &[("id", &id)]).await.ok());
    assert_eq!(app.enrollments_of(course.id).await[0].status, EnrollmentStatus::Cancelled);
}

async fn no_guardian_reaches_another_familys_child(app: TestApp) {
    let course = app.course("Этюды", 5, 10, 8).await;
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    assert!(add_child(&mut b, "Миша", &born(9, app.today()).to_string(), "").await.ok());
    let misha = child(&app, &mother, "Миша").await;
    let request = app.request_of(&course, misha.id, EnrollmentStatus::Pending).await;
    let (_, mut s) = app.signed_in("stranger@example.ru", "Чужой", Role::Student).await;
    assert!(add_child(&mut s, "Петя", &born(8, app.today()).to_string(), "").await.ok());
    let id = misha.id.to_string();
    let enrollment_id = request.id.to_string();
    let nine = born(9, app.today()).to_string();
    for (path, form) in [
        ("/api/family/update", vec![("child", id.clone()), ("full_name", "Чужой".into()), ("birth_date", nine.clone()), ("teacher_notes", String::new())]),
        ("/api/family/remove", vec![("child", id.clone()), ("confirm", "on".into())]),
        ("/api/enrollments/cancel", vec![("id", enrollment_id.clone())]),
        ("/api/enrollments/enroll", booking_for(&course, misha.id)),
    ] {
        let res = s.submit(path, &form).await;
        assert_eq!(res.status, 403, "{path}: {}", res.body);
    }
    let draft = s.call("/api/enrollments/draft", &[("address", &course.id.to_string()), ("choice[member]", &id), ("choice[teacher_id]", ""), ("choice[format]", ""), ("choice[partner_email]", ""), ("choice[period_start]", ""), ("choice[period_end]", "")]).await;
    assert_eq!(draft.status, 403, "{}", draft.body);
    assert_eq!(s.get(&format!("/my/enrollments/{enrollment_id}/calendar.ics")).await.status, 404);
    assert!(s.call("/api/enrollments/mine", &[]).await.json()["children"][0]["name"] == "Петя");
    // Nothing changed: the child, the request, the name.
    let misha_now = user::Entity::find_by_id(misha.id).one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(misha_now.full_name, "Миша");
    assert_eq!(app.enrollments_of(course.id).await, vec![request]);
    // A teenager with her own login acts for herself, never for a sibling,
    // and cannot take a guardian out of the family (no endpoint lets a child change it).
    let mut teen = user::Entity::find_by_id(misha.id).one(&app.state.db).await.unwrap().unwrap().into_active_model();
    teen.email = Set("teen@example.ru".into());
    teen.birth_date = Set(Some(born(15, app.today())));
    let teen = teen.update(&app.state.db).await.unwrap();
    let mut t = app.browser_as(&teen).await;
    assert!(add_child(&mut b, "Соня", &born(6, app.today()).to_string(), "").await.ok());
    let sonya = child(&app, &mother, "Соня").await;
    assert_eq!(t.submit(common::ENROLL, &booking_for(&course, sonya.id)).await.status, 403);
    assert_eq!(t.call("/api/family/remove", &[("child", &sonya.id.to_string()), ("confirm", "on")]).await.status, 403);
    let hers = t.call("/api/family", &[]).await.json();
    assert_eq!((hers["as_child"].as_bool(), hers["guardians"][0]["email"].as_str()), (Some(true), Some("mother@example.ru")));
    assert_eq!(t.call("/api/family/add", &[("full_name", "Кто-то"), ("birth_date", "2020-01-01"), ("teacher_notes", ""), ("consent", "on")]).await.status, 409);
}

async fn a_guardian_reviews_a_childs_course(app: TestApp) {
    use kulisy::server::entities::review;
    let course = app.course("Этюды", 5, 10, 8).await;
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    assert!(add_child(&mut b, "Миша", &born(9, app.today()).to_string(), "").await.ok());
    let misha = child(&app, &mother, "Миша").await;
    let request = app.request_of(&course, misha.id, EnrollmentStatus::Confirmed).await;
    let mine = b.call("/api/reviews/mine", &[]).await.json();
    assert_eq!((mine[0]["enrollment_id"].as_i64(), mine[0]["member_name"].as_str()), (Some(request.id.into()), Some("Миша")));
    let form = [("enrollment_id", request.id.to_string()), ("rating", "5".into()), ("body", "Сын ждёт каждого занятия.".into())];
    let (_, mut stranger) = app.signed_in("stranger@example.ru", "Чужой", Role::Student).await;
    assert_eq!(stranger.submit("/api/reviews/save", &form).await.status, 404, "another family's request is unknown");
    assert!(b.submit("/api/reviews/save", &form).await.ok());
    let written = review::Entity::find().one(&app.state.db).await.unwrap().unwrap();
    assert_eq!(written.author_id, Some(mother.id), "the guardian signs it: no child's name is published");
}

async fn a_sibling_may_be_the_partner(app: TestApp) {
    let course = aged_course(&app, "Парные этюды", Some(7), Some(10)).await;
    let mut row: course::ActiveModel = course::Entity::find_by_id(course.id).one(&app.state.db).await.unwrap().unwrap().into();
    (row.capacity, row.offers_pair) = (Set(4), Set(true));
    row.update(&app.state.db).await.unwrap();
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    for (name, years) in [("Миша", 9), ("Оля", 8), ("Вера", 15)] {
        assert!(add_child(&mut b, name, &born(years, app.today()).to_string(), "").await.ok());
    }
    let (misha, olya, vera) = (child(&app, &mother, "Миша").await, child(&app, &mother, "Оля").await, child(&app, &mother, "Вера").await);
    let (stranger, mut s) = app.signed_in("stranger@example.ru", "Чужой", Role::Student).await;
    assert!(add_child(&mut s, "Петя", &born(8, app.today()).to_string(), "").await.ok());
    let petya = child(&app, &stranger, "Петя").await;
    let pair_with = |partner: i32| {
        let mut form = booking_for(&course, misha.id);
        form.iter_mut().find(|(k, _)| *k == "format").unwrap().1 = "pair".into();
        form.push(("partner_member", partner.to_string()));
        form
    };
    for (partner, message) in [(petya.id, "Выберите партнёра из списка"), (misha.id, "Выберите партнёра из списка"), (vera.id, "Курс для возраста 7–10 лет, а Вера")] {
        let res = b.submit(common::ENROLL, &pair_with(partner)).await;
        assert!(res.status == 422 && res.body.contains("partner_member") && res.body.contains(message), "{partner}: {}", res.body);
    }
    assert!(app.enrollments_of(course.id).await.is_empty(), "nothing half-written");
    assert!(b.submit(common::ENROLL, &pair_with(olya.id)).await.ok());
    let booked = app.enrollments_of(course.id).await;
    assert_eq!((booked[0].student_id, booked[0].partner_id, booked[0].seats), (Some(misha.id), Some(olya.id), 2));
    assert_eq!(booked[0].partner_status, Some(kulisy::domain::enrollment::PartnerAnswer::Accepted), "the guardian answers for both");
    assert!(!app.outbox().await.iter().any(|m| m.subject == "Вас приглашают заниматься в паре"));
}


async fn teachers_see_minors_guardians_and_notes_on_their_own_rosters(app: TestApp) {
    let (mine, theirs) = (app.course("Этюды", 5, 10, 8).await, app.course("Вокал", 5, 10, 8).await);
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    let mut phone: user::ActiveModel = mother.clone().into();
    phone.phone = Set(Some("+7 903 555-66-77".into()));
    phone.update(&app.state.db).await.unwrap();
    assert!(add_child(&mut b, "Миша <i>М.</i>", &born(9, app.today()).to_string(), "Аллергия <script>на орехи</script>").await.ok());
    let misha = child(&app, &mother, "Миша <i>М.</i>").await;
    app.request_of(&mine, misha.id, EnrollmentStatus::Confirmed).await;
    let teacher = app.user(&mine.teacher_email).await.unwrap();
    let mut t = app.browser_as(&teacher).await;
    let roster = t.call("/api/teaching/roster", &[("course_id", &mine.id.to_string()), ("status", ""), ("date", "")]).await.json();
    let row = &roster["students"][0];
    assert_eq!(row["minor"]["age"], "9 лет");
    assert_eq!(row["minor"]["guardians"][0]["phone"], "+7 903 555-66-77");
    assert_eq!(row["minor"]["notes"], "Аллергия <script>на орехи</script>");
    assert!(row["email"].is_null(), "a child without a login has no address to show");
    let page = t.get(&format!("/teach/courses/{}", mine.id)).await;
    assert!(page.body.contains("tel:+79035556677") && page.body.contains("Аллергия &lt;script&gt;"), "{}", page.body);
    assert!(!page.body.contains("<script>на") && !page.body.contains("<i>М."));
    let card = t.call("/api/teaching/student", &[("id", &misha.id.to_string())]).await.json();
    assert_eq!(card["minor"]["guardians"][0]["name"], "Елена Морозова");
    // Another course's teacher sees nothing of the child.
    let other = app.user(&theirs.teacher_email).await.unwrap();
    let mut o = app.browser_as(&other).await;
    assert_eq!(o.call("/api/teaching/student", &[("id", &misha.id.to_string())]).await.status, 404);
    assert_eq!(o.call("/api/teaching/roster", &[("course_id", &mine.id.to_string()), ("status", ""), ("date", "")]).await.status, 404);
}

async fn a_last_guardian_takes_young_children_and_frees_their_seats(app: TestApp) {
    let course = app.course("Этюды", 1, 10, 8).await;
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    assert!(add_child(&mut b, "Миша", &born(9, app.today()).to_string(), "").await.ok());
    let misha = child(&app, &mother, "Миша").await;
    app.request_of(&course, misha.id, EnrollmentStatus::Pending).await;
    let (_, mut waiting) = app.signed_in("wait@example.ru", "Ждущий", Role::Student).await;
    assert!(waiting.submit(common::ENROLL, &[course.booking("personal"), vec![("waitlist", "on".into())]].concat()).await.ok());
    assert_eq!(app.enrollments_of(course.id).await[1].status, EnrollmentStatus::Waitlisted);
    let profile = b.call("/api/account/profile", &[]).await.json();
    assert_eq!(profile["children_leaving"], serde_json::json!(["Миша"]), "the deletion form names who goes with it");
    let files = kulisy::account::service::delete_account(&app.state.db, &app.state.config.site_url, &mother, app.today()).await.unwrap();
    assert!(files.is_empty());
    assert!(user::Entity::find_by_id(misha.id).one(&app.state.db).await.unwrap().is_none(), "the child went with the last guardian");
    let after = app.enrollments_of(course.id).await;
    assert_eq!(after.iter().map(|e| e.status).collect::<Vec<_>>(), [EnrollmentStatus::Cancelled, EnrollmentStatus::Pending]);
    assert!(family_child::Entity::find().all(&app.state.db).await.unwrap().is_empty());
}

async fn a_child_of_eighteen_acts_alone(app: TestApp) {
    let (mother, mut b) = app.signed_in("mother@example.ru", "Елена Морозова", Role::Student).await;
    let today = app.today();
    assert!(add_child(&mut b, "Вера", &born(17, today).to_string(), "").await.ok());
    let vera = child(&app, &mother, "Вера").await;
    let birthday = born(17, today).checked_add_months(Months::new(12)).unwrap().checked_add_months(Months::new(12 * 17)).unwrap();
    let site = app.state.config.site_url.clone();
    let come_of_age = |day| kulisy::family::service::come_of_age(&app.state.db, &site, day);
    assert_eq!(come_of_age(birthday - chrono::Duration::days(1)).await.unwrap(), 0, "the day before, still a child");
    assert_eq!(come_of_age(birthday).await.unwrap(), 1);
    assert_eq!(come_of_age(birthday).await.unwrap(), 0, "once");
    assert!(families::guardians_of(&app.state.db, vera.id).await.unwrap().is_empty());
    let letters = app.outbox().await;
    assert!(letters.iter().any(|m| m.to_addr == "mother@example.ru" && m.subject == "Ученик стал совершеннолетним"));
    assert!(letters.iter().all(|m| families::is_deliverable(&m.to_addr)));
    let family = b.call("/api/family", &[]).await.json();
    assert!(family["children"].as_array().unwrap().is_empty());
    assert!(audit_log::Entity::find().filter(audit_log::Column::Action.eq("family.came_of_age")).one(&app.state.db).await.unwrap().is_some());
}

both_databases!(
    spawn,
    a_guardian_adds_children_with_consent,
    ages_are_checked_on_the_courses_first_day,
    letters_about_a_child_reach_every_guardian,
    no_guardian_reaches_another_familys_child,
    teachers_see_minors_guardians_and_notes_on_their_own_rosters,
    a_last_guardian_takes_young_children_and_frees_their_seats,
    a_child_of_eighteen_acts_alone,
    a_sibling_may_be_the_partner,
    a_guardian_reviews_a_childs_course,
);
