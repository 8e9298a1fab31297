//! What the migrations from #33 on share: a foreign key named after its
//! column, following the id it points to when it changes. (Landed
//! migrations keep their own copies: they are never edited.)
use sea_orm_migration::prelude::*;

pub fn fk(from_table: &'static str, from_col: &'static str, to_table: &'static str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(on_delete)
        .on_update(ForeignKeyAction::Cascade)
        .to_owned()
}
