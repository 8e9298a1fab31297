//! The passes' rules: `prices` (the office's price list), `sales`,
//! `ledger` (write-offs by attendance, returns, credit), `freezes` and
//! `views`. They import each other one way: `ledger` imports none of them.
pub mod freezes;
pub mod ledger;
pub mod prices;
pub mod sales;
pub mod views;
