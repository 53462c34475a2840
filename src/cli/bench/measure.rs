//! What the county workload measures the server with: a `huzhu serve`
//! process of its own (so that its CPU time and memory in /proc are the
//! server's alone, not the benchmark client's), the CPU it spends in each
//! phase, its resident memory, and the store's size on disk.
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::serve::Switch;
use crate::cli::CliError;

/// How long a server may take to start listening, and to stop.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(120);
/// How often the address file and the stopping server are looked at.
const POLL: Duration = Duration::from_millis(20);

/// A `huzhu serve` on 127.0.0.1 (an ephemeral port) on a temporary store,
/// fsync on as always, no rate limit, no web client. Dropped without
/// `stop`, it is killed.
pub struct Server {
    child: Child,
    pub url: String,
    pub token: String,
    dir: tempfile::TempDir,
}

impl Server {
    /// Starts the binary that is running now as a server and waits until
    /// it accepts calls.
    pub async fn start(compression: Switch) -> Result<Self, CliError> {
        let dir = tempfile::Builder::new().prefix("huzhu-county-").tempdir()?;
        let addr_file = dir.path().join("addr");
        let log = std::fs::File::create(dir.path().join("server.log"))?;
        let child = Command::new(std::env::current_exe()?)
            .args(["serve", "--listen", "127.0.0.1:0", "--web-listen", "off"])
            .args(["--rate-limit", "0", "--compression"])
            .arg(compression.label())
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .arg("--addr-file")
            .arg(&addr_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()?;
        let mut server = Server {
            child,
            url: String::new(),
            token: String::new(),
            dir,
        };
        let started = Instant::now();
        while !addr_file.exists() {
            if let Some(status) = server.child.try_wait()? {
                return Err(server.failed(&format!("exited with {status} before listening")));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(server.failed("did not start listening"));
            }
            tokio::time::sleep(POLL).await;
        }
        server.url = format!("http://{}", std::fs::read_to_string(&addr_file)?);
        let token_file = server.data_dir().join(crate::auth::ADMIN_TOKEN_FILE);
        server.token = std::fs::read_to_string(token_file)?.trim().to_string();
        Ok(server)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Stops the server as an operator does (SIGTERM: it drains, flushes
    /// and closes sled) and answers the store's bytes on disk after.
    pub async fn stop(mut self) -> Result<u64, CliError> {
        // SAFETY: kill(2) on the pid of a child not yet waited for.
        let pid = libc::pid_t::try_from(self.pid())?;
        if unsafe { libc::kill(pid, libc::SIGTERM) } != 0 {
            return Err(std::io::Error::last_os_error().into());
        }
        let asked = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                if !status.success() {
                    return Err(self.failed(&format!("exited with {status} on SIGTERM")));
                }
                return Ok(dir_bytes(&self.data_dir()));
            }
            if asked.elapsed() > STOP_TIMEOUT {
                return Err(self.failed("did not stop on SIGTERM"));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// What went wrong, with the end of the server's log.
    fn failed(&self, what: &str) -> CliError {
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "the benchmark's server {what}; its log ends:\n{}",
            tail.join("\n")
        )
        .into()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// CPU time a process has spent, user and system, in microseconds
/// (utime and stime of /proc/<pid>/stat, in clock ticks).
pub fn cpu_us(pid: u32) -> Result<u64, CliError> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name, in parentheses, may hold spaces: count after it.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| -> Result<u64, CliError> {
        let field = fields.get(i).ok_or("a short /proc/<pid>/stat")?;
        Ok(field.parse::<u64>()?)
    };
    // Fields 14 and 15 of stat(5); `after` starts at field 3.
    let (utime, stime) = (ticks(11)?, ticks(12)?);
    // SAFETY: sysconf has no preconditions.
    let per_second = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) })?;
    Ok((utime + stime) * 1_000_000 / per_second.max(1))
}

/// A process's resident memory now and at its peak, in KiB (VmRSS and
/// VmHWM of /proc/<pid>/status).
pub fn memory_kib(pid: u32) -> Result<(u64, u64), CliError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Result<u64, CliError> {
        let line = status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .ok_or_else(|| format!("no {name} in /proc/{pid}/status"))?;
        let kib = line.trim().trim_end_matches("kB").trim();
        Ok(kib.parse::<u64>()?)
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// One phase of the workload: how many calls, how long it took, and the
/// server's CPU time over it.
#[derive(Clone, Copy, Default)]
pub struct Phase {
    pub calls: u64,
    pub elapsed: Duration,
    pub server_cpu_us: u64,
}

impl Phase {
    pub fn per_second(&self, count: u64) -> f64 {
        count as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    pub fn cpu_us_each(&self, count: u64) -> f64 {
        self.server_cpu_us as f64 / count.max(1) as f64
    }
}

/// Runs `work` (which answers how many calls it made) and measures it on
/// the server `pid`.
pub async fn phase<E, Fut>(pid: u32, work: Fut) -> Result<Phase, CliError>
where
    Fut: Future<Output = Result<u64, E>>,
    CliError: From<E>,
{
    let (cpu_before, started) = (cpu_us(pid)?, Instant::now());
    let calls = work.await?;
    let elapsed = started.elapsed();
    Ok(Phase {
        calls,
        elapsed,
        server_cpu_us: cpu_us(pid)?.saturating_sub(cpu_before),
    })
}

/// The value at quantile `q` (nearest rank) of durations sorted ascending.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Bytes of the files under `path`.
pub fn dir_bytes(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
