//! Readable addresses of the public pages of courses, shows and teachers
//! (`domain::address` makes a slug from a title). A record's slug is set in
//! the transaction that names it; the addresses it had before keep
//! answering: `/courses/3` and a former slug lead to the current one (301),
//! and the slug of a deleted course or show says it is gone (410).
use super::entities::former_address;
use crate::domain::address::{as_number, candidate, is_slug, slug_of};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    DatabaseConnection,
    sea_query::{Alias, Expr, ExprTrait, OnConflict, Query},
};

/// The records that have public pages of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Course,
    Show,
    Teacher,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Course, Kind::Show, Kind::Teacher];

    fn name(self) -> &'static str {
        match self {
            Kind::Course => "course",
            Kind::Show => "show",
            Kind::Teacher => "teacher",
        }
    }

    fn table(self) -> Alias {
        Alias::new(match self {
            Kind::Course => "courses",
            Kind::Show => "shows",
            Kind::Teacher => "teachers",
        })
    }

    /// The word a slug starts from when the title gives none.
    fn fallback(self) -> &'static str {
        match self {
            Kind::Course => "kurs",
            Kind::Show => "spektakl",
            Kind::Teacher => "pedagog",
        }
    }

    /// The first segment of the record's page address.
    pub fn section(self) -> &'static str {
        match self {
            Kind::Course => "courses",
            Kind::Show => "afisha",
            Kind::Teacher => "teachers",
        }
    }

    /// The kind whose pages live under `section`.
    pub fn of_section(section: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.section() == section)
    }

    /// The pages beneath a record's own, which follow it to its address.
    fn pages_beneath(self) -> &'static [&'static str] {
        match self {
            Kind::Course => &["/enroll"],
            Kind::Show | Kind::Teacher => &[],
        }
    }

    /// The page address of the record with `slug`.
    pub fn path(self, slug: &str) -> String {
        format!("/{}/{slug}", self.section())
    }

    /// The page address of a record as read: by its slug, or by its number
    /// while it has none.
    pub fn page(self, slug: Option<&str>, id: i32) -> String {
        match slug {
            Some(slug) => self.path(slug),
            None => format!("/{}/{id}", self.section()),
        }
    }
}

/// What an address segment names.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// The record's current address.
    Current(i32),
    /// An address the record had (its number, a former slug): the record
    /// and where it is now.
    Moved(i32, String),
    /// The address of a record that was deleted.
    Gone,
    Unknown,
}

/// What `segment` names among the records of `kind`.
pub async fn find(db: &impl ConnectionTrait, kind: Kind, segment: &str) -> Result<Found, DbErr> {
    if let Some(id) = as_number(segment) {
        return Ok(match slug_of_record(db, kind, id).await? {
            Some(Some(slug)) => Found::Moved(id, slug),
            // Not named yet (never after start): its number is its address.
            Some(None) => Found::Current(id),
            None => Found::Unknown,
        });
    }
    if !is_slug(segment) {
        return Ok(Found::Unknown);
    }
    if let Some(id) = record_with(db, kind, segment, None).await? {
        return Ok(Found::Current(id));
    }
    let former = former_address::Entity::find_by_id((kind.name().to_string(), segment.to_string())).one(db).await?;
    Ok(match former.map(|f| f.record_id) {
        Some(Some(id)) => match slug_of_record(db, kind, id).await? {
            Some(Some(slug)) => Found::Moved(id, slug),
            _ => Found::Gone,
        },
        Some(None) => Found::Gone,
        None => Found::Unknown,
    })
}

/// The record `segment` names, for a page's load: a missing or gone record
/// is the error the page shows.
pub async fn record_at(db: &impl ConnectionTrait, kind: Kind, segment: &str) -> Result<i32, crate::error::AppError> {
    use crate::error::AppError;
    match find(db, kind, segment).await? {
        Found::Current(id) | Found::Moved(id, _) => Ok(id),
        Found::Gone => Err(AppError::Gone),
        Found::Unknown => Err(AppError::NotFound),
    }
}

/// Gives the record its slug for `title`, inside the caller's transaction.
/// A record keeps its slug while its title gives the same one; when the
/// title changes, the old slug becomes a former address of the record. A
/// slug another record has, or had, is never taken: `-2`, `-3` … follow.
pub async fn settle(db: &impl ConnectionTrait, kind: Kind, id: i32, title: &str) -> Result<String, DbErr> {
    let current = slug_of_record(db, kind, id).await?.flatten();
    let base = slug_of(title);
    let mut n = 1;
    let slug = loop {
        let wanted = candidate(&base, kind.fallback(), n);
        if current.as_deref() == Some(wanted.as_str()) {
            return Ok(wanted);
        }
        let taken = record_with(db, kind, &wanted, Some(id)).await?.is_some()
            || former_address::Entity::find_by_id((kind.name().to_string(), wanted.clone()))
                .one(db)
                .await?
                .is_some_and(|f| f.record_id != Some(id));
        if !taken {
            break wanted;
        }
        n += 1;
    };
    // The slug it takes back, if it had it before, is current again.
    former_address::Entity::delete_by_id((kind.name().to_string(), slug.clone())).exec(db).await?;
    if let Some(old) = current {
        retire(db, kind, &old, Some(id)).await?;
    }
    db.execute(
        Query::update()
            .table(kind.table())
            .value(Alias::new("slug"), slug.clone())
            .and_where(Expr::col(Alias::new("id")).eq(id)),
    )
    .await?;
    Ok(slug)
}

/// When a record leaves the site (deleted, or a course archived): its
/// addresses say «gone» from now on, and an archived row keeps no slug.
pub async fn bury(db: &impl ConnectionTrait, kind: Kind, id: i32) -> Result<(), DbErr> {
    if let Some(Some(slug)) = slug_of_record(db, kind, id).await? {
        retire(db, kind, &slug, None).await?;
        db.execute(
            Query::update()
                .table(kind.table())
                .value(Alias::new("slug"), Option::<String>::None)
                .and_where(Expr::col(Alias::new("id")).eq(id)),
        )
        .await?;
    }
    former_address::Entity::update_many()
        .col_expr(former_address::Column::RecordId, Expr::value(Option::<i32>::None))
        .filter(former_address::Column::Kind.eq(kind.name()))
        .filter(former_address::Column::RecordId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// When a teacher's account is deleted: the addresses their page had spell
/// their name, and the school keeps nothing of a person who left.
pub async fn forget(db: &impl ConnectionTrait, kind: Kind, id: i32) -> Result<(), DbErr> {
    former_address::Entity::delete_many()
        .filter(former_address::Column::Kind.eq(kind.name()))
        .filter(former_address::Column::RecordId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Names every record that has no slug yet: those made before slugs
/// existed, or by hand in the database. Runs at every start.
pub async fn settle_missing(db: &DatabaseConnection) -> Result<(), DbErr> {
    for kind in Kind::ALL {
        let txn = super::db::write(db).await?;
        let title = match kind {
            Kind::Teacher => "(SELECT full_name FROM users WHERE users.id = teachers.user_id)",
            _ => "title",
        };
        let mut unnamed = Query::select();
        unnamed
            .column(Alias::new("id"))
            .expr_as(Expr::cust(title), Alias::new("title"))
            .from(kind.table())
            .and_where(Expr::col(Alias::new("slug")).is_null())
            .order_by(Alias::new("id"), sea_orm::Order::Asc);
        if kind == Kind::Course {
            // An archived course has left the site with its address.
            unnamed.and_where(Expr::col(Alias::new("archived_at")).is_null());
        }
        let unnamed = txn.query_all(&unnamed).await?;
        for row in unnamed {
            let id: i32 = row.try_get("", "id")?;
            let title: Option<String> = row.try_get("", "title")?;
            settle(&txn, kind, id, title.as_deref().unwrap_or_default()).await?;
        }
        txn.commit().await?;
    }
    Ok(())
}

/// `None` when there is no such record; `Some(None)` while it has no slug.
async fn slug_of_record(db: &impl ConnectionTrait, kind: Kind, id: i32) -> Result<Option<Option<String>>, DbErr> {
    let row = db
        .query_one(
            Query::select()
                .column(Alias::new("slug"))
                .from(kind.table())
                .and_where(Expr::col(Alias::new("id")).eq(id)),
        )
        .await?;
    row.map(|r| r.try_get::<Option<String>>("", "slug")).transpose()
}

/// The record of `kind` whose current slug is `slug`, other than `except`.
async fn record_with(db: &impl ConnectionTrait, kind: Kind, slug: &str, except: Option<i32>) -> Result<Option<i32>, DbErr> {
    let mut query = Query::select();
    query.column(Alias::new("id")).from(kind.table()).and_where(Expr::col(Alias::new("slug")).eq(slug));
    if let Some(id) = except {
        query.and_where(Expr::col(Alias::new("id")).ne(id));
    }
    db.query_one(&query).await?.map(|r| r.try_get::<i32>("", "id")).transpose()
}

async fn retire(db: &impl ConnectionTrait, kind: Kind, slug: &str, record_id: Option<i32>) -> Result<(), DbErr> {
    former_address::Entity::insert(former_address::ActiveModel {
        kind: Set(kind.name().to_string()),
        slug: Set(slug.to_string()),
        record_id: Set(record_id),
        retired_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([former_address::Column::Kind, former_address::Column::Slug])
            .update_columns([former_address::Column::RecordId, former_address::Column::RetiredAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Middleware: a record's page asked for by an address its record had (its
/// number, a former slug) answers 301 with the address it has now, so
/// links and search engines move to it; so does a page beneath it (a
/// course's enrollment wizard).
pub async fn redirect_to_current(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::{http::{Method, StatusCode, header}, response::IntoResponse};
    if matches!(*req.method(), Method::GET | Method::HEAD)
        && let Some((kind, segment, beneath)) = page_address(req.uri().path())
        && let Ok(Found::Moved(_, slug)) = find(&state.db, kind, segment).await
    {
        let mut to = kind.path(&slug) + beneath;
        if let Some(query) = req.uri().query() {
            to.push('?');
            to.push_str(query);
        }
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
    }
    next.run(req).await
}

/// `/courses/<segment>`, its kin and the pages beneath a record's page
/// (`/courses/<segment>/enroll`): the kind, the segment and what follows it.
fn page_address(path: &str) -> Option<(Kind, &str, &str)> {
    let (section, rest) = path.strip_prefix('/')?.split_once('/')?;
    let kind = Kind::of_section(section)?;
    let (segment, beneath) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
    (beneath.is_empty() || kind.pages_beneath().contains(&beneath)).then_some((kind, segment, beneath))
}
