//! The audit log's writing side: every change of the office and of
//! families writes one row, in the change's own transaction, of the fields
//! that changed (the office reads it: `admin::service::audit`).
use super::{entities::audit_log, guards::Actor};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr};
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
    write(db, Some(actor.id), action, entity, entity_id, changes).await
}

/// An audit row by whoever `actor_id` names, or by the school's own work
/// when it names nobody (a record that keeps only its writer's id).
pub async fn record_as(
    db: &impl ConnectionTrait,
    actor_id: Option<i32>,
    action: &str,
    entity: &str,
    entity_id: Option<i32>,
    changes: Value,
) -> Result<(), DbErr> {
    write(db, actor_id, action, entity, entity_id, changes).await
}

/// An audit row of the school's own background work (no person acted).
pub async fn record_by_school(
    db: &impl ConnectionTrait,
    action: &str,
    entity: &str,
    entity_id: Option<i32>,
    changes: Value,
) -> Result<(), DbErr> {
    write(db, None, action, entity, entity_id, changes).await
}

async fn write(
    db: &impl ConnectionTrait,
    actor_id: Option<i32>,
    action: &str,
    entity: &str,
    entity_id: Option<i32>,
    changes: Value,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        actor_id: Set(actor_id),
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
}
