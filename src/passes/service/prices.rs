//! The office's prices: per course and format the price of a lesson and of
//! a trial lesson, and the pass types on sale. Each change is audited.
use crate::{
    domain::{
        CourseFormat, CourseId,
        money::{Kopecks, PriceLine},
        pass::{PassTerms, PassTypeForm, Prices},
    },
    error::AppError,
    passes::wire::{CoursePricing, FormatPrices, PassTypeView, PriceList},
    server::{
        audit,
        entities::{course, course_price, pass_type},
        guards::Office,
    },
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use serde_json::json;

pub fn pass_type_view(t: &pass_type::Model) -> PassTypeView {
    PassTypeView {
        id: t.id,
        format: t.format,
        name: t.name.clone(),
        lessons: t.lessons,
        valid_days: t.valid_days,
        price: Kopecks(t.price),
        on_sale: t.on_sale,
    }
}

/// A course's prices; the public sees only the pass types on sale.
pub async fn price_list(db: &impl ConnectionTrait, course_id: CourseId, only_on_sale: bool) -> Result<PriceList, AppError> {
    let formats = course_price::Entity::find()
        .filter(course_price::Column::CourseId.eq(course_id))
        .order_by_asc(course_price::Column::Format)
        .all(db)
        .await?
        .into_iter()
        .map(|p| FormatPrices { format: p.format, lesson: Kopecks(p.lesson_price), trial: Kopecks(p.trial_price) })
        .collect();
    let mut types = pass_type::Entity::find().filter(pass_type::Column::CourseId.eq(course_id));
    if only_on_sale {
        types = types.filter(pass_type::Column::OnSale.eq(true));
    }
    let pass_types = types
        .order_by_asc(pass_type::Column::Format)
        .order_by_asc(pass_type::Column::Lessons)
        .order_by_asc(pass_type::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(pass_type_view)
        .collect();
    Ok(PriceList { formats, pass_types })
}

/// The public price list of a course: per format a lesson, a trial
/// lesson, and each pass on sale.
pub async fn public_lines(db: &impl ConnectionTrait, course_id: CourseId) -> Result<Vec<PriceLine>, AppError> {
    let list = price_list(db, course_id, true).await?;
    let mut lines = Vec::new();
    for f in &list.formats {
        let format = f.format.label().to_lowercase();
        lines.push(PriceLine { name: format!("Разовое занятие, {format}"), price: f.lesson });
        lines.push(PriceLine { name: format!("Пробное занятие, {format}"), price: f.trial });
    }
    for t in &list.pass_types {
        let lessons = crate::domain::ru::plural(t.lessons.into(), ["занятие", "занятия", "занятий"]);
        lines.push(PriceLine {
            name: format!("Абонемент «{}», {} {lessons} на {} дн., {}", t.name, t.lessons, t.valid_days, t.format.label().to_lowercase()),
            price: t.price,
        });
    }
    Ok(lines)
}

/// A course's prices as the office edits them.
pub async fn pricing(db: &DatabaseConnection, _office: &Office, course_id: CourseId) -> Result<CoursePricing, AppError> {
    let c = course::Entity::find_by_id(course_id).one(db).await?.ok_or(AppError::NotFound)?;
    let formats = CourseFormat::ALL
        .into_iter()
        .filter(|f| match f {
            CourseFormat::Personal => c.offers_personal,
            CourseFormat::Pair => c.offers_pair,
        })
        .collect();
    let prices = price_list(db, course_id, false).await?;
    Ok(CoursePricing { course_id: c.id, course_title: c.title, formats, prices, form_key: crate::server::crypto::random_token()[..32].to_string() })
}

async fn course_offering(db: &impl ConnectionTrait, course_id: CourseId, format: CourseFormat) -> Result<course::Model, AppError> {
    let c = course::Entity::find_by_id(course_id).one(db).await?.ok_or(AppError::NotFound)?;
    let offered = match format {
        CourseFormat::Personal => c.offers_personal,
        CourseFormat::Pair => c.offers_pair,
    };
    if !offered {
        return Err(AppError::field("format", "Курс не проводится в этом формате."));
    }
    Ok(c)
}

/// Sets the price of a lesson and of a trial lesson of one format.
pub async fn set_prices(
    db: &DatabaseConnection,
    office: &Office,
    course_id: CourseId,
    format: CourseFormat,
    lesson: &str,
    trial: &str,
) -> Result<(), AppError> {
    let prices = Prices::parse(lesson, trial).map_err(AppError::fields)?;
    let txn = crate::server::db::write(db).await?;
    course_offering(&txn, course_id, format).await?;
    let before = course_price::Entity::find()
        .filter(course_price::Column::CourseId.eq(course_id))
        .filter(course_price::Column::Format.eq(format))
        .one(&txn)
        .await?
        .map(|p| (p.lesson_price, p.trial_price));
    course_price::Entity::insert(course_price::ActiveModel {
        course_id: Set(course_id.0),
        format: Set(format),
        lesson_price: Set(prices.lesson.0),
        trial_price: Set(prices.trial.0),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([course_price::Column::CourseId, course_price::Column::Format])
            .update_columns([course_price::Column::LessonPrice, course_price::Column::TrialPrice, course_price::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let changes = json!({ format.slug(): [before, (prices.lesson.0, prices.trial.0)] });
    audit::record(&txn, office, "update", "course_price", Some(course_id.0), changes).await?;
    txn.commit().await?;
    Ok(())
}

/// Puts a new pass type on sale; the same form sent twice (its `key`)
/// puts one.
pub async fn add_pass_type(
    db: &DatabaseConnection,
    office: &Office,
    course_id: CourseId,
    format: CourseFormat,
    form: &PassTypeForm,
    key: &str,
) -> Result<i32, AppError> {
    let key = super::sales::form_key(key)?;
    let terms = PassTerms::parse(form).map_err(AppError::fields)?;
    let txn = crate::server::db::write(db).await?;
    course_offering(&txn, course_id, format).await?;
    if let Some(done) = pass_type::Entity::find().filter(pass_type::Column::IdempotencyKey.eq(&key)).one(&txn).await? {
        return Ok(done.id);
    }
    let row = pass_type::ActiveModel {
        course_id: Set(course_id.0),
        format: Set(format),
        name: Set(terms.name.clone()),
        lessons: Set(terms.lessons),
        valid_days: Set(terms.valid_days),
        price: Set(terms.price.0),
        on_sale: Set(true),
        idempotency_key: Set(Some(key)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let changes = json!({ "course_id": [null, course_id.0], "name": [null, terms.name], "lessons": [null, terms.lessons],
        "valid_days": [null, terms.valid_days], "price": [null, terms.price.0] });
    audit::record(&txn, office, "create", "pass_type", Some(row.id), changes).await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Takes a pass type off sale or back on; sold passes keep their terms.
pub async fn set_on_sale(db: &DatabaseConnection, office: &Office, id: i32, on_sale: bool) -> Result<(), AppError> {
    let txn = crate::server::db::write(db).await?;
    let t = pass_type::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let before = t.on_sale;
    let mut row: pass_type::ActiveModel = t.into();
    row.on_sale = Set(on_sale);
    row.update(&txn).await?;
    audit::record(&txn, office, "update", "pass_type", Some(id), json!({ "on_sale": [before, on_sale] })).await?;
    txn.commit().await?;
    Ok(())
}

/// The school's rules for passes: whether an absence without notice costs
/// a lesson, how many hours ahead a notice spares it, how long a make-up lasts.
pub async fn set_rules(db: &DatabaseConnection, office: &Office, form: &crate::domain::makeup::PassRulesForm) -> Result<(), AppError> {
    use crate::server::settings;
    let rules = crate::domain::makeup::PassRules::parse(form).map_err(AppError::fields)?;
    let txn = crate::server::db::write(db).await?;
    let before = settings::pass_rules(&txn).await?;
    settings::put(&txn, settings::PASS_RULES, &serde_json::to_string(&rules).map_err(|_| AppError::Internal)?).await?;
    audit::record(&txn, office, "update", "setting", None, json!({ "pass_rules": [before, rules] })).await?;
    txn.commit().await?;
    Ok(())
}
