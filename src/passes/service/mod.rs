//! The passes' rules: `prices` (the office's price list), `sales`,
//! `ledger` (write-offs by attendance, returns, credit), `makeups`
//! (notices of absence, make-up lessons), `freezes` and `views`. They import each other one way: `ledger` imports none of them.
pub mod absences;
pub mod freezes;
pub mod ledger;
pub mod letters;
pub mod makeups;
pub mod prices;
pub mod reports;
pub mod sales;
pub mod views;
