//! Reads an nmstate desired state (YAML or JSON) on standard input and
//! either only parses it (`parse`) or applies it to the kernel of the
//! current network namespace without NetworkManager (`apply`), letting
//! nmstate verify the result. Errors go to standard error, exit code 1.

use std::io::Read;

use nmstate::NetworkState;

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read standard input: {e}");
        std::process::exit(2);
    }
    let mut state = match NetworkState::new_from_yaml(&input) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    match mode.as_str() {
        "parse" => {}
        "apply" => {
            state.set_kernel_only(true);
            state.set_verify_change(true);
            if let Err(e) = state.apply() {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        _ => {
            eprintln!("usage: nmstate-apply parse|apply < desired-state.yaml");
            std::process::exit(2);
        }
    }
}
