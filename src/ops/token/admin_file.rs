//! The admin token a store is given without a caller: on a new store's
//! first start (`huzhu serve`), and by `huzhu token rescue` on a stopped
//! one. Its file is written (0600) before its record is stored, so a crash
//! between the two leaves no token that nobody holds.
use std::path::{Path, PathBuf};

use crate::auth::{self, Role, TokenRecord};
use crate::ledger::{payload_hash, Ledger, Plan};
use crate::registry::{self, json, keys};

/// The request id of the admin token a new store starts with.
const FIRST_ADMIN_REQUEST: &str = "serve-first-admin-token";

/// Who issues a token without a caller.
const ON_THE_STORE: &str = "huzhu (on the store)";

/// On a store without tokens: issues an admin token into `admin.token` in
/// the data directory and answers the file's path. `None` when tokens exist.
pub async fn first_admin_token(
    ledger: &Ledger,
    data_dir: &Path,
) -> Result<Option<PathBuf>, String> {
    if registry::has_tokens(&ledger.state()) {
        return Ok(None);
    }
    let path = data_dir.join(auth::ADMIN_TOKEN_FILE);
    let label = "first admin (created by huzhu serve)";
    admin_token_file(ledger, &path, FIRST_ADMIN_REQUEST, label).await?;
    Ok(Some(path))
}

/// Issues an admin token without a caller and writes it to `path` (owner
/// read/write only) before its record is stored. Answers the token's id.
pub async fn admin_token_file(
    ledger: &Ledger,
    path: &Path,
    request_id: &str,
    label: &str,
) -> Result<String, String> {
    let random = |e: std::io::Error| format!("cannot draw a random token: {e}");
    let secret = auth::new_secret().map_err(random)?;
    let token_id = auth::new_token_id().map_err(random)?;
    auth::write_token_file(path, &format!("{token_id}.{secret}\n"))
        .map_err(|e| format!("cannot write the admin token to {}: {e}", path.display()))?;
    let record = TokenRecord {
        token_id: token_id.clone(),
        role: Role::Admin,
        scope: auth::Scope::All.to_string(),
        label: label.into(),
        secret_sha256: auth::secret_hash(&secret),
        issued_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        issued_by: ON_THE_STORE.into(),
        revoked_at: None,
        revoked_by: None,
    };
    let fingerprint = payload_hash("token.admin_file", &record.token_id);
    let key = keys::token(&token_id);
    ledger
        .apply(
            request_id.into(),
            ON_THE_STORE.into(),
            fingerprint,
            Box::new(move |_, _| {
                Ok(Plan {
                    records: vec![json(key, &record)],
                    ..Plan::default()
                })
            }),
            false,
        )
        .await
        .map_err(|e| format!("cannot store the admin token: {e}"))?;
    Ok(token_id)
}
