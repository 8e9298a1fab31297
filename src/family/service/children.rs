//! Adding, changing and removing children, each in one
//! transaction with its audit row. The audit row names the fields that
//! changed, never the notes for the teacher (sensitive: 152-ФЗ).
use crate::family::wire::{ChildView, FamilyView, GuardianView, Member};
use crate::{

    domain::{
        UserId,
        account::{clean_name, clean_text},
        family::{ADULT_AGE, OWN_LOGIN_AGE, age_label, age_on, parse_birth_date},
    },
    error::{AppError, FieldError},
    server::{
        entities::{family, family_child, family_guardian, user},
        families,
        guards::{ActingFor, Actor, Student},
        audit, settings,
        storage::StoredFile,
    },
};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

/// The child form's fields as sent.
pub struct ChildForm {
    pub full_name: String,
    pub birth_date: String,
    pub teacher_notes: String,
    pub photos_allowed: bool,
}

/// A child's checked values.
struct Checked {
    full_name: String,
    birth_date: NaiveDate,
    teacher_notes: Option<String>,
}

fn check(form: &ChildForm, today: NaiveDate) -> Result<Checked, AppError> {
    let mut errors = Vec::new();
    let mut problem = |field: &str, message: &str| errors.push(FieldError { field: field.into(), message: message.into() });
    let full_name = clean_name(&form.full_name).map_err(|m| problem("full_name", m)).ok();
    let birth_date = match parse_birth_date(&form.birth_date, today) {
        Ok(date) if age_on(date, today) >= ADULT_AGE => {
            problem("birth_date", "Ребёнку должно быть меньше 18 лет: взрослый ученик регистрируется сам.");
            None
        }
        Ok(date) => Some(date),
        Err(message) => {
            problem("birth_date", message);
            None
        }
    };
    let notes = clean_text(&form.teacher_notes).map_err(|m| problem("teacher_notes", m)).ok();
    match (full_name, birth_date, notes, errors.is_empty()) {
        (Some(full_name), Some(birth_date), Some(notes), true) => Ok(Checked {
            full_name,
            birth_date,
            teacher_notes: (!notes.is_empty()).then_some(notes),
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The family page for `student`: their children and co-guardians, or
/// (for a teenager with a login) their own guardians.
pub async fn family_of(db: &DatabaseConnection, student: &Student, today: NaiveDate) -> Result<FamilyView, AppError> {
    if let Some(family_id) = families::family_guarded_by(db, student.id).await? {
        let children = families::children_of(db, family_id)
            .await?
            .into_iter()
            .filter_map(|(link, child)| {
                let birth_date = child.birth_date?;
                let age = age_on(birth_date, today);
                let login = families::has_login(&child).then(|| child.email.clone());
                Some(ChildView {
                    id: UserId(child.id),
                    full_name: child.full_name,
                    birth_date,
                    age: age_label(age),
                    teacher_notes: link.teacher_notes.unwrap_or_default(),
                    may_have_login: login.is_none() && age >= OWN_LOGIN_AGE,
                    login,
                    photos_allowed: link.photos_consented_at.is_some(),
                })
            })
            .collect();
        let guardians = families::guardians_in(db, family_id).await?.into_iter().map(guardian_view).collect();
        return Ok(FamilyView { children, guardians, as_child: false });
    }
    let guardians: Vec<GuardianView> = families::guardians_of(db, student.id).await?.into_iter().map(guardian_view).collect();
    Ok(FamilyView { as_child: !guardians.is_empty(), guardians, children: Vec::new() })
}

fn guardian_view(u: user::Model) -> GuardianView {
    GuardianView { full_name: u.full_name, email: u.email }
}

/// Whom `student` may book for: themselves and their children under 18.
/// Empty without a family (the wizard then skips its first question).
pub async fn members_of(db: &impl ConnectionTrait, student: &Actor, today: NaiveDate) -> Result<Vec<Member>, AppError> {
    let children = families::minors_guarded_by(db, student.id, today).await?;
    if children.is_empty() {
        return Ok(Vec::new());
    }
    let me = Member { id: UserId(student.id), name: student.name.clone(), age: None };
    Ok(std::iter::once(me)
        .chain(children.into_iter().map(|child| Member {
            id: UserId(child.id),
            age: child.birth_date.map(|birth| age_label(age_on(birth, today))),
            name: child.full_name,
        }))
        .collect())
}

/// What became of an "add a child" form.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    New(UserId),
    /// The same child was already in the family (a double submit).
    AlreadyThere(UserId),
}

/// Adds a child to `guardian`'s family (made on the first child) with the
/// guardian's consent to process the child's data.
pub async fn add_child(
    db: &DatabaseConnection,
    guardian: &Student,
    form: ChildForm,
    consent: bool,
    today: NaiveDate,
) -> Result<Added, AppError> {
    let checked = check(&form, today);
    if !consent {
        let mut errors = match checked {
            Err(AppError::Invalid(errors)) => errors,
            _ => Vec::new(),
        };
        errors.push(FieldError {
            field: "consent".into(),
            message: "Без вашего согласия на обработку данных ребёнка мы не можем его записать.".into(),
        });
        return Err(AppError::Invalid(errors));
    }
    let child = checked?;
    let txn = crate::server::db::write(db).await?;
    // The guardian's row first: two submits of one form queue here.
    if !crate::enrollment::service::lock_person(&txn, guardian.id).await? {
        return Err(AppError::Unauthenticated);
    }
    let now = Utc::now();
    let family_id = match families::family_guarded_by(&txn, guardian.id).await? {
        Some(id) => id,
        None => {
            if !families::guardians_of(&txn, guardian.id).await?.is_empty() {
                return Err(AppError::Conflict("Детей в семью добавляют ваши родители или опекуны.".into()));
            }
            start_family(&txn, guardian.id).await?
        }
    };
    let same = families::children_of(&txn, family_id).await?.into_iter().find(|(_, c)| {
        c.birth_date == Some(child.birth_date) && c.full_name.to_lowercase() == child.full_name.to_lowercase()
    });
    if let Some((_, existing)) = same {
        return Ok(Added::AlreadyThere(UserId(existing.id)));
    }
    let account = families::new_child_account(child.full_name.clone(), child.birth_date).insert(&txn).await?;
    family_child::ActiveModel {
        family_id: Set(family_id),
        child_id: Set(account.id),
        teacher_notes: Set(child.teacher_notes),
        consented_at: Set(now),
        consented_by: Set(Some(guardian.id)),
        policy_version: Set(settings::privacy_policy_version(&txn).await?),
        photos_consented_at: Set(form.photos_allowed.then_some(now)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, guardian, "family.child_added", "user", Some(account.id), json!({
        "full_name": [null, child.full_name],
        "birth_date": [null, child.birth_date],
        "photos_allowed": [null, form.photos_allowed],
    }))
    .await?;
    txn.commit().await?;
    Ok(Added::New(UserId(account.id)))
}

/// Saves a guardian's changes to a child.
pub async fn update_child(db: &DatabaseConnection, who: &ActingFor, form: ChildForm, today: NaiveDate) -> Result<(), AppError> {
    if !who.for_child() {
        return Err(AppError::Forbidden);
    }
    let child = check(&form, today)?;
    let txn = crate::server::db::write(db).await?;
    let account = user::Entity::find_by_id(who.id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let link = family_child::Entity::find()
        .filter(family_child::Column::ChildId.eq(who.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let changes = audit::diff(
        &json!({
            "full_name": account.full_name,
            "birth_date": account.birth_date,
            "photos_allowed": link.photos_consented_at.is_some(),
            "teacher_notes": "",
        }),
        &json!({
            "full_name": child.full_name,
            "birth_date": child.birth_date,
            "photos_allowed": form.photos_allowed,
            // Only that the notes changed: their text stays out of the log.
            "teacher_notes": if link.teacher_notes == child.teacher_notes { "" } else { "изменены" },
        }),
    );
    let photos_consented_at = match (link.photos_consented_at, form.photos_allowed) {
        (Some(at), true) => Some(at),
        (None, true) => Some(Utc::now()),
        (_, false) => None,
    };
    let mut active: user::ActiveModel = account.into();
    active.full_name = Set(child.full_name);
    active.birth_date = Set(Some(child.birth_date));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    let mut link: family_child::ActiveModel = link.into();
    link.teacher_notes = Set(child.teacher_notes);
    link.photos_consented_at = Set(photos_consented_at);
    link.update(&txn).await?;
    audit::record(&txn, who.by(), "family.child_changed", "user", Some(who.id), changes).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes a child's data at a guardian's request: their requests are
/// withdrawn (seats to the waitlist) in the same transaction. Returns the
/// files to remove after commit.
pub async fn remove_child(
    db: &DatabaseConnection,
    site: &url::Url,
    who: &ActingFor,
    today: NaiveDate,
) -> Result<Vec<StoredFile>, AppError> {
    if !who.for_child() {
        return Err(AppError::Forbidden);
    }
    let txn = crate::server::db::write(db).await?;
    let child = user::Entity::find_by_id(who.id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let files = crate::account::service::erase_person(&txn, site, &child, today).await?;
    audit::record(&txn, who.by(), "family.child_removed", "user", Some(who.id), json!({})).await?;
    txn.commit().await?;
    Ok(files)
}

/// A new family with `guardian` as its first guardian.
pub(super) async fn start_family(db: &impl ConnectionTrait, guardian: i32) -> Result<i32, sea_orm::DbErr> {
    let now = Utc::now();
    let family = family::ActiveModel { created_at: Set(now), ..Default::default() }.insert(db).await?;
    family_guardian::ActiveModel { family_id: Set(family.id), user_id: Set(guardian), created_at: Set(now), ..Default::default() }
        .insert(db)
        .await?;
    Ok(family.id)
}
