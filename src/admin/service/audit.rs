//! The audit log as the office reads it; rows are written by
//! `server::audit` in each change's own transaction.
use crate::{
    admin::wire::{AuditEntry, AuditQuery, PAGE_SIZE, Page, page_count},
    domain::text,
    error::AppError,
    server::{
        entities::{audit_log, user},
        search::contains_pattern,
    },
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

pub use crate::server::audit::{diff, record};

/// One page of the audit log, newest first, optionally for one kind of record.
pub async fn audit(db: &DatabaseConnection, q: &AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    let mut query = audit_log::Entity::find();
    if !q.entity.is_empty() {
        query = query.filter(audit_log::Column::Entity.eq(q.entity.clone()));
    }
    if let Ok(record) = q.record.trim().parse::<i32>() {
        query = query.filter(audit_log::Column::EntityId.eq(record));
    }
    let actor = text::search_words(&q.actor).map_err(|m| AppError::field("actor", m))?;
    if !actor.is_empty() {
        let like = sea_orm::sea_query::LikeExpr::new(contains_pattern(&actor)).escape('\\');
        let actors = user::Entity::find().filter(Expr::col(user::Column::SearchKey).like(like)).all(db).await?;
        query = query.filter(audit_log::Column::ActorId.is_in(actors.into_iter().map(|u| u.id)));
    }
    let total = query.clone().count(db).await?;
    let page = q.page.clamp(1, page_count(total));
    let rows = query
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let actors: std::collections::HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.actor_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name))
        .collect();
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| AuditEntry {
                at: r.created_at,
                actor: r.actor_id.and_then(|a| actors.get(&a).cloned()).unwrap_or_else(|| "—".into()),
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                changes: r.changes,
            })
            .collect(),
        page,
        pages: page_count(total),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts_round_up() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PAGE_SIZE), 1);
        assert_eq!(page_count(PAGE_SIZE + 1), 2);
    }
}
