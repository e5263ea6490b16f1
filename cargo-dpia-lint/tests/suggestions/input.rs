// What a new user has before tagging: plain Rust that compiles. `suggestions_compile`
// applies each suggestion DPIA201 and `init` print to it, writes the results to
// dpia/tests/suggestions/, and the dpia crate's trybuild test compiles them.

pub struct Subscriber {
    pub email: String,
    pub phone: Option<String>,
    pub plan: u32,
}

pub struct CustomerEmail(pub String);

pub enum Contact {
    Postal {
        street: String,
    },
    Other,
}

pub fn send_reset_email(to: &str, username: &str) -> usize {
    to.len() + username.len()
}

fn main() {
    let s = Subscriber {
        email: String::new(),
        phone: None,
        plan: 0,
    };
    let _ = (s.email, s.phone, s.plan, CustomerEmail(String::new()).0);
    let _ = Contact::Postal {
        street: String::new(),
    };
    let _ = Contact::Other;
    let _ = send_reset_email("", "");
}
