//! The audit log: every change of the office writes one row, in the
//! change's own transaction, of the fields that changed.
use crate::{
    admin::wire::{AuditEntry, AuditQuery, PAGE_SIZE, Page, page_count},
    domain::text,
    error::AppError,
    server::{
        entities::{audit_log, user},
        search::contains_pattern,
    },
};
use crate::server::guards::Actor;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde_json::{Map, Value, json};

/// Writes one audit row: who did `action` to which record, and the fields
/// that changed as `{"field": [before, after]}`.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Option<i32>,
    changes: Value,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        actor_id: Set(Some(actor.id)),
        action: Set(action.into()),
        entity: Set(entity.into()),
        entity_id: Set(entity_id),
        changes: Set(changes.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The fields whose values differ between two JSON objects, as
/// `{"field": [before, after]}`. Fields only in `after` count as changed.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let (b, a) = (before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    let mut out = Map::new();
    for (key, new) in a {
        let old = b.get(key).unwrap_or(&Value::Null);
        if old != new {
            out.insert(key.clone(), json!([old, new]));
        }
    }
    Value::Object(out)
}

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
    fn diff_keeps_only_changed_fields() {
        let before = json!({"title": "Ревизор", "venue": "Зал"});
        let after = json!({"title": "Ревизор", "venue": "Малая сцена"});
        assert_eq!(diff(&before, &after), json!({"venue": ["Зал", "Малая сцена"]}));
        assert_eq!(diff(&json!({}), &json!({"a": 1})), json!({"a": [null, 1]}));
        assert_eq!(diff(&before, &before), json!({}));
    }

    #[test]
    fn page_counts_round_up() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PAGE_SIZE), 1);
        assert_eq!(page_count(PAGE_SIZE + 1), 2);
    }
}
