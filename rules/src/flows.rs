//! Rules of the `flows` group.

pub mod international_transfer;
pub mod personal_data_in_logs;
pub mod undeclared_personal_data_flow;
pub mod undeclared_recipient;
