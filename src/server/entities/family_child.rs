use sea_orm::entity::prelude::*;

/// A child of a family, with the guardian's consents (152-ФЗ).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "family_children")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub family_id: i32,
    #[sea_orm(unique)]
    pub child_id: i32,
    /// Sensitive (health, allergies): only for the child's guardians, the
    /// child's teachers and the office; never in the audit log, exports or letters.
    pub teacher_notes: Option<String>,
    /// When a guardian agreed to the processing of the child's data, which
    /// guardian, and the version of the policy they read.
    pub consented_at: DateTimeUtc,
    pub consented_by: Option<i32>,
    pub policy_version: String,
    /// A guardian's separate consent to publish photos of the child.
    pub photos_consented_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
