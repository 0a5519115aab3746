//! Shared state of the server: the store, the clock, cached reference data and the live event
//! channel.

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::live::LiveEvent;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use theodoi_calendar::WorkingCalendar;
use theodoi_domain::catalogue::Catalogues;
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{OrgCategory, OrgDirectory, OrgTree};
use theodoi_domain::text;
use theodoi_i18n::Lang;
use theodoi_store::{CalendarOverrides, Store, StoreResult, StoredEntry};
use tokio::sync::{broadcast, watch};

/// Reference data every command needs, read from the database and cached. It changes only
/// through the server's own endpoints, which reload it.
#[derive(Debug)]
pub struct Reference {
    pub orgs: OrgTree,
    pub catalogues: Catalogues,
    pub catalogue_entries: Vec<StoredEntry>,
    pub calendar: WorkingCalendar,
    pub calendar_overrides: CalendarOverrides,
    /// Organisation ids sorted by folded name, one list per language, built on first use.
    /// Folding 500 names takes about 5.7 million instructions (callgrind), too much for every
    /// page that lists bodies. A reload of the reference data builds a new `Reference`, so the
    /// lists never outlive the names they sort.
    orgs_by_name: [OnceLock<Vec<OrgId>>; 2],
    /// Each organisation's place in [`Reference::orgs_by_name`], one map per language.
    name_ranks: [OnceLock<HashMap<OrgId, usize>>; 2],
    /// The organisations above the subordinate units in name order, one list per language:
    /// the part of every task list's body selects that does not depend on the reader.
    upper_orgs_by_name: [OnceLock<Vec<OrgId>>; 2],
    /// Counts the loads of this process, so that values computed from one reference data set
    /// can tell it from the next.
    pub generation: u64,
}

/// Loads of reference data so far in this process.
static REFERENCE_LOADS: AtomicU64 = AtomicU64::new(0);

impl Reference {
    pub async fn load(store: &Store) -> StoreResult<Reference> {
        let orgs = OrgTree::new(store.organisations().await?);
        let catalogue_entries = store.catalogue_entries().await?;
        let catalogues =
            Catalogues::new(catalogue_entries.iter().map(|stored| stored.entry.clone()));
        let calendar_overrides = store.calendar_overrides().await?;
        Ok(Reference {
            orgs,
            catalogues,
            catalogue_entries,
            calendar: calendar_overrides.calendar(),
            calendar_overrides,
            orgs_by_name: Default::default(),
            name_ranks: Default::default(),
            upper_orgs_by_name: Default::default(),
            generation: REFERENCE_LOADS.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Returns every organisation id sorted by the folded name in `lang`, so that accents and
    /// case do not split the order. Organisations with the same folded name keep the order of
    /// [`OrgTree::iter`].
    pub fn orgs_by_name(&self, lang: Lang) -> &[OrgId] {
        self.orgs_by_name[lang_slot(lang)].get_or_init(|| {
            let mut named: Vec<(String, OrgId)> = self
                .orgs
                .iter()
                .map(|org| {
                    let name = match lang {
                        Lang::Vi => &org.name_vi,
                        Lang::En => &org.name_en,
                    };
                    (text::fold(name), org.id)
                })
                .collect();
            named.sort_by(|a, b| a.0.cmp(&b.0));
            named.into_iter().map(|(_, id)| id).collect()
        })
    }
}

impl Reference {
    /// Returns each organisation's place in [`Reference::orgs_by_name`] for `lang`.
    pub fn name_ranks(&self, lang: Lang) -> &HashMap<OrgId, usize> {
        self.name_ranks[lang_slot(lang)].get_or_init(|| {
            self.orgs_by_name(lang)
                .iter()
                .enumerate()
                .map(|(rank, id)| (*id, rank))
                .collect()
        })
    }

    /// Returns the organisations that are not subordinate units, sorted as
    /// [`Reference::orgs_by_name`] sorts them.
    pub fn upper_orgs_by_name(&self, lang: Lang) -> &[OrgId] {
        self.upper_orgs_by_name[lang_slot(lang)].get_or_init(|| {
            self.orgs_by_name(lang)
                .iter()
                .copied()
                .filter(|id| {
                    self.orgs
                        .organisation(*id)
                        .is_some_and(|org| org.category != OrgCategory::SubordinateUnit)
                })
                .collect()
        })
    }
}

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Vi => 0,
        Lang::En => 1,
    }
}

/// State shared by every request.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<ServerConfig>,
    reference: Arc<RwLock<Arc<Reference>>>,
    pub live: broadcast::Sender<Arc<LiveEvent>>,
    /// Sessions ended by this process (logout, a disabled account, a changed role), so that
    /// their open event streams close at once.
    pub sessions_ended: broadcast::Sender<crate::auth::SessionEnded>,
    /// Set once the server begins to shut down, so that open event streams end instead of
    /// holding the graceful shutdown open for as long as a page stays open.
    closing: watch::Sender<bool>,
    /// Counts changes of accounts and sessions made by this process, so that open event
    /// streams check at once whether their user may still see what they deliver.
    access: watch::Sender<u64>,
    /// Dashboard numbers by reader's scope, reused until a task or document is written.
    pub dashboards: Arc<crate::web::dashboard::DashboardCache>,
}

/// Live events kept for slow subscribers before they lag.
const LIVE_BUFFER: usize = 4096;

impl AppState {
    pub async fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        config: ServerConfig,
    ) -> StoreResult<Self> {
        let reference = Reference::load(&store).await?;
        let (live, _) = broadcast::channel(LIVE_BUFFER);
        Ok(Self {
            store,
            clock,
            config: Arc::new(config),
            reference: Arc::new(RwLock::new(Arc::new(reference))),
            live,
            sessions_ended: broadcast::channel(LIVE_BUFFER).0,
            closing: watch::Sender::new(false),
            access: watch::Sender::new(0),
            dashboards: Arc::default(),
        })
    }

    /// Tells long-lived responses that the server is shutting down.
    pub fn begin_closing(&self) {
        self.closing.send_replace(true);
    }

    /// Completes once the server begins to shut down.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + use<> {
        let mut receiver = self.closing.subscribe();
        async move {
            // An error means the state was dropped, which also ends the server.
            let _ = receiver.wait_for(|closing| *closing).await;
        }
    }

    /// Tells open event streams that an account or a session changed: roles, body, clearance,
    /// a disabling or a logout.
    pub fn access_changed(&self) {
        self.access
            .send_modify(|changes| *changes = changes.wrapping_add(1));
    }

    /// Notices of [`AppState::access_changed`].
    pub fn access_changes(&self) -> watch::Receiver<u64> {
        self.access.subscribe()
    }

    /// A snapshot of the reference data; cheap, and consistent for one request.
    pub fn reference(&self) -> Arc<Reference> {
        self.reference.read().expect("reference lock").clone()
    }

    /// Reloads reference data after a change.
    pub async fn reload_reference(&self) -> StoreResult<()> {
        let fresh = Arc::new(Reference::load(&self.store).await?);
        *self.reference.write().expect("reference lock") = fresh;
        Ok(())
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }
}
