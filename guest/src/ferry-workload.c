/*
 * ferry-workload - the workload of Ferry's test/demo guest.
 *
 * Runs inside a tiny initramfs guest and gives the migration tests
 * something observable and checkable on the serial console:
 *   - a heartbeat, to see that the guest runs (and for how long it paused),
 *   - a memory worker that dirties RAM at a set rate and verifies every page
 *     it wrote, to catch pages lost or stale after a live migration,
 *   - a disk worker that appends checksummed records to a block device and
 *     verifies them, to catch lost or torn writes across a disk migration.
 * Settings come from the kernel command line (ferry.*), see guest/README.md.
 *
 * "ferry-workload --powerbtn" instead waits for an ACPI power button press
 * (KEY_POWER on /dev/input/event*) and exits 0; /init uses it to power off.
 *
 * Every console line is produced by exactly one write(), so lines from
 * different threads never interleave.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/input.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SZ 4096u
#define WORDS_PER_PAGE (PAGE_SZ / 8)
#define REC_SZ 4096u
#define REC_WORDS (REC_SZ / 8)
#define REC_MAGIC 0x4345525952524546ull /* "FERRYREC" little-endian */
#define SCAN_CHUNK 256                  /* records per read during the scan */
#define MAX_CORRUPT_LINES 100           /* per kind, to keep the console usable */
#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull

/* ------------------------------------------------------------------ */
/* Configuration: parsed from /proc/cmdline (or $FERRY_CMDLINE for    */
/* running the binary on a developer's machine).                      */

struct config {
	long hb_ms;       /* ferry.hb: heartbeat period in ms */
	long mem_mib;     /* ferry.mem: memory worker size, 0 = off */
	long rate_mib;    /* ferry.rate: MiB/s rewritten, 0 = unlimited */
	long wss_mib;     /* ferry.memwss: rewritten part, 0 = whole buffer */
	char disk[64];    /* ferry.disk: device under /dev, "" = off */
	long disk_rate;   /* ferry.diskrate: records/s, 0 = unlimited */
	int disk_ro;      /* ferry.diskro: verify only, never write */
	int probe;        /* ferry.probe: print READY and exit */
};

static struct config cfg = { .hb_ms = 200, .rate_mib = 10, .disk_rate = 50 };

static void config_set(const char *key, const char *val)
{
	long v = strtol(val, NULL, 10);

	if (!strcmp(key, "hb") && v > 0)
		cfg.hb_ms = v;
	else if (!strcmp(key, "mem") && v >= 0)
		cfg.mem_mib = v;
	else if (!strcmp(key, "rate") && v >= 0)
		cfg.rate_mib = v;
	else if (!strcmp(key, "memwss") && v >= 0)
		cfg.wss_mib = v;
	else if (!strcmp(key, "disk"))
		snprintf(cfg.disk, sizeof cfg.disk, "%s", val);
	else if (!strcmp(key, "diskrate") && v >= 0)
		cfg.disk_rate = v;
	else if (!strcmp(key, "diskro"))
		cfg.disk_ro = v != 0;
	else if (!strcmp(key, "probe"))
		cfg.probe = v != 0;
}

static void config_load(void)
{
	char line[4096] = "";
	const char *env = getenv("FERRY_CMDLINE");

	if (env) {
		snprintf(line, sizeof line, "%s", env);
	} else {
		FILE *f = fopen("/proc/cmdline", "r");
		if (f) {
			if (!fgets(line, sizeof line, f))
				line[0] = 0;
			fclose(f);
		}
	}
	for (char *save, *tok = strtok_r(line, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(tok, '=');
		if (strncmp(tok, "ferry.", 6) || !eq)
			continue;
		*eq = 0;
		config_set(tok + 6, eq + 1);
	}
	if (!strcmp(cfg.disk, "none") || !strcmp(cfg.disk, "off"))
		cfg.disk[0] = 0;
}

/* ------------------------------------------------------------------ */
/* Small helpers: whole-line console output, time, pacing, hashing.   */

static volatile sig_atomic_t stop_requested;

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	while (write(STDOUT_FILENO, buf, n) < 0 && errno == EINTR)
		;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { ns / NS_PER_S, ns % NS_PER_S };

	nanosleep(&ts, NULL);
}

static uint64_t mix64(uint64_t x) /* splitmix64 finaliser */
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/*
 * Pacer: spreads units of work (pages, records) evenly over time so a
 * configured rate is a smooth rate, not bursts. It never sleeps longer than
 * 20 ms at once, and forgets a backlog older than 100 ms (e.g. the guest was
 * paused for a migration switchover) instead of bursting to catch up.
 */
struct pacer {
	double per_sec;   /* 0 = unlimited */
	uint64_t t0;
	uint64_t done;
};

static void pacer_init(struct pacer *p, double per_sec)
{
	p->per_sec = per_sec;
	p->t0 = now_ns();
	p->done = 0;
}

/* Returns 1 when the next unit may run now, else sleeps a slice and returns 0. */
static int pacer_ready(struct pacer *p)
{
	uint64_t now, due;

	if (p->per_sec <= 0)
		return 1;
	now = now_ns();
	due = p->t0 + (uint64_t)(p->done * (double)NS_PER_S / p->per_sec);
	if (now >= due) {
		if (now - due > 100 * NS_PER_MS)
			p->t0 += now - due;
		p->done++;
		return 1;
	}
	due -= now;
	sleep_ns(due < NS_PER_MS ? NS_PER_MS : due > 20 * NS_PER_MS ? 20 * NS_PER_MS : due);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Start-up handshake: READY is printed once every enabled worker has  */
/* finished its initial phase (memory fill, disk scan).                */

static pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static int ready_pending;
static long mem_running;         /* MiB actually allocated, for READY */
static const char *disk_running = "none";
static volatile int disk_done = 1; /* disk worker finished (or never started) */

static void mark_ready(void)
{
	pthread_mutex_lock(&ready_mu);
	ready_pending--;
	pthread_cond_broadcast(&ready_cv);
	pthread_mutex_unlock(&ready_mu);
}

static void wait_all_ready(void)
{
	pthread_mutex_lock(&ready_mu);
	while (ready_pending > 0)
		pthread_cond_wait(&ready_cv, &ready_mu);
	pthread_mutex_unlock(&ready_mu);
}

/* ------------------------------------------------------------------ */
/* Heartbeat: shows the guest is alive and lets the host measure pauses */
/* (gaps in up_ms) such as a migration's downtime.                      */

static void *heartbeat_main(void *arg)
{
	struct timespec next;
	uint64_t n = 0, ms;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		ms = now_ns() / NS_PER_MS;
		say("HEARTBEAT n=%llu up_ms=%llu", (unsigned long long)++n,
		    (unsigned long long)ms);
		next.tv_nsec += (cfg.hb_ms % 1000) * NS_PER_MS;
		next.tv_sec += cfg.hb_ms / 1000 + next.tv_nsec / NS_PER_S;
		next.tv_nsec %= NS_PER_S;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Memory worker: dirties guest RAM at a set rate (what live migration */
/* has to chase) and checks that every page still holds exactly what   */
/* was last written there (what live migration must preserve).         */
/*                                                                      */
/* Page layout (64-bit words): [0] page index, [1] version,             */
/* [i>=2] mix64(index * K ^ version) + i * K2.                          */

#define PAT_K 0x9e3779b97f4a7c15ull
#define PAT_K2 0xd6e8feb86659fd93ull

struct memw {
	uint64_t *buf;
	uint32_t *ver;           /* version last written to each page */
	size_t npages, nwss;     /* nwss pages are rewritten, the rest only read */
	size_t cursor, cold_cursor;
	uint64_t pass, rewritten, corrupt;  /* rewritten: pages verified+rewritten */
};

static void page_fill(uint64_t *w, uint64_t idx, uint64_t ver)
{
	uint64_t base = mix64(idx * PAT_K ^ ver);

	w[0] = idx;
	w[1] = ver;
	for (unsigned i = 2; i < WORDS_PER_PAGE; i++)
		w[i] = base + i * PAT_K2;
}

/* Returns -1 if the page is intact, else the byte offset of the first bad word. */
static long page_check(const uint64_t *w, uint64_t idx, uint64_t ver)
{
	uint64_t base = mix64(idx * PAT_K ^ ver);

	if (w[0] != idx)
		return 0;
	if (w[1] != ver)
		return 8;
	for (unsigned i = 2; i < WORDS_PER_PAGE; i++)
		if (w[i] != base + i * PAT_K2)
			return i * 8;
	return -1;
}

/* Verifies one page; on a mismatch reports it and restores the page. */
static void mem_verify(struct memw *m, size_t idx)
{
	uint64_t *w = m->buf + idx * WORDS_PER_PAGE;
	long off = page_check(w, idx, m->ver[idx]);

	if (off < 0)
		return;
	if (++m->corrupt <= MAX_CORRUPT_LINES)
		say("MEMORY-CORRUPT page=%zu expected_version=%u found=page:%llu,version:%llu,"
		    "first_bad_offset:%ld,word:0x%016llx", idx, m->ver[idx],
		    (unsigned long long)w[0], (unsigned long long)w[1], off,
		    (unsigned long long)w[off / 8]);
	page_fill(w, idx, m->ver[idx]);
}

static int mem_setup(struct memw *m)
{
	size_t bytes = (size_t)cfg.mem_mib << 20;

	memset(m, 0, sizeof *m);
	m->npages = bytes / PAGE_SZ;
	m->nwss = cfg.wss_mib > 0 && cfg.wss_mib < cfg.mem_mib
		  ? ((size_t)cfg.wss_mib << 20) / PAGE_SZ : m->npages;
	m->buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m->ver = calloc(m->npages, sizeof *m->ver);
	if (m->buf == MAP_FAILED || !m->ver) {
		say("MEMORY-ERROR mem=%ld reason=%s", cfg.mem_mib, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < m->npages; i++) {
		m->ver[i] = 1;
		page_fill(m->buf + i * WORDS_PER_PAGE, i, 1);
	}
	return 0;
}

/* Once a second: check a slice of the read-only (cold) part, then report. */
static void mem_report(struct memw *m)
{
	size_t cold = m->npages - m->nwss;

	for (size_t i = 0; cold && i < 256; i++) {
		mem_verify(m, m->nwss + m->cold_cursor);
		m->cold_cursor = (m->cold_cursor + 1) % cold;
	}
	if (m->corrupt)
		say("MEMORY-BAD pass=%llu pages=%llu corrupt=%llu",
		    (unsigned long long)m->pass, (unsigned long long)m->rewritten,
		    (unsigned long long)m->corrupt);
	else
		say("MEMORY-OK pass=%llu pages=%llu corrupt=0",
		    (unsigned long long)m->pass, (unsigned long long)m->rewritten);
}

static void *mem_main(void *arg)
{
	static struct memw m;
	struct pacer pace;
	uint64_t next_report;

	(void)arg;
	if (mem_setup(&m) < 0) {
		mark_ready();
		return NULL;
	}
	mem_running = cfg.mem_mib;
	mark_ready();
	pacer_init(&pace, (double)cfg.rate_mib * (1 << 20) / PAGE_SZ);
	next_report = now_ns() + NS_PER_S;
	for (;;) {
		if (now_ns() >= next_report) {
			mem_report(&m);
			next_report += NS_PER_S;
		}
		if (!pacer_ready(&pace))
			continue;
		mem_verify(&m, m.cursor);
		m.rewritten++;
		m.ver[m.cursor]++;
		page_fill(m.buf + m.cursor * WORDS_PER_PAGE, m.cursor, m.ver[m.cursor]);
		if (++m.cursor == m.nwss) {
			m.cursor = 0;
			m.pass++;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Disk worker: appends records to a ring on a block device and checks */
/* them, so a disk copied or mirrored during migration can be shown to  */
/* hold every record the guest wrote, intact.                           */
/*                                                                      */
/* Record layout (64-bit little-endian words, 4096 bytes):              */
/* [0] magic "FERRYREC", [1] seq, [2] boot id (random per boot),        */
/* [3] slot (= seq % nslots), [4..510] mix64(seq * K) + i * K2,         */
/* [511] FNV-1a 64 over words 0..510 (each word xored in as a whole).   */

struct diskw {
	int fd;
	uint64_t nslots, boot_id;
	uint64_t *wbuf, *rbuf;   /* O_DIRECT needs aligned buffers */
	uint64_t *slot_seq;      /* seq found in each slot at start-up, 0 = none */
	uint64_t records, max_seq, bad, missing;
};

static uint64_t rec_sum(const uint64_t *w)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (unsigned i = 0; i < REC_WORDS - 1; i++) {
		h ^= w[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static void rec_build(uint64_t *w, uint64_t seq, uint64_t nslots, uint64_t boot_id)
{
	w[0] = REC_MAGIC;
	w[1] = seq;
	w[2] = boot_id;
	w[3] = seq % nslots;
	for (unsigned i = 4; i < REC_WORDS - 1; i++)
		w[i] = mix64(seq * PAT_K) + i * PAT_K2;
	w[REC_WORDS - 1] = rec_sum(w);
}

/* Returns NULL if the record in `slot` is valid, else why it is not. */
static const char *rec_check(const uint64_t *w, uint64_t slot, uint64_t nslots)
{
	uint64_t base = mix64(w[1] * PAT_K);

	if (w[REC_WORDS - 1] != rec_sum(w))
		return "checksum";
	if (w[3] != slot || w[1] % nslots != slot)
		return "slot";
	for (unsigned i = 4; i < REC_WORDS - 1; i++)
		if (w[i] != base + i * PAT_K2)
			return "payload";
	return NULL;
}

static void disk_note_bad(struct diskw *d, uint64_t slot, uint64_t seq, const char *why)
{
	if (++d->bad <= MAX_CORRUPT_LINES)
		say("DISK-CORRUPT slot=%llu seq=%llu reason=%s",
		    (unsigned long long)slot, (unsigned long long)seq, why);
}

static int disk_open(struct diskw *d)
{
	char path[96];
	uint64_t size = 0;

	snprintf(path, sizeof path, "/dev/%s", cfg.disk);
	for (int i = 0; i < 10 && access(path, F_OK) != 0; i++)
		sleep_ns(100 * NS_PER_MS);   /* devtmpfs may add the node late */
	if (access(path, F_OK) != 0) {
		say("DISK-NONE dev=%s", cfg.disk);
		return -1;
	}
	d->fd = open(path, (cfg.disk_ro ? O_RDONLY : O_RDWR) | O_DIRECT);
	if (d->fd < 0 || ioctl(d->fd, BLKGETSIZE64, &size) < 0 || size < REC_SZ) {
		say("DISK-ERROR dev=%s reason=%s", cfg.disk,
		    d->fd < 0 ? strerror(errno) : "size");
		return -1;
	}
	d->nslots = size / REC_SZ;
	d->slot_seq = calloc(d->nslots, sizeof *d->slot_seq);
	if (posix_memalign((void **)&d->wbuf, REC_SZ, REC_SZ) ||
	    posix_memalign((void **)&d->rbuf, REC_SZ, REC_SZ * SCAN_CHUNK) || !d->slot_seq) {
		say("DISK-ERROR dev=%s reason=nomem", cfg.disk);
		return -1;
	}
	if (getrandom(&d->boot_id, sizeof d->boot_id, 0) != sizeof d->boot_id)
		d->boot_id = now_ns();
	return 0;
}

/* Checks one slot of the start-up scan. */
static void disk_scan_slot(struct diskw *d, const uint64_t *w, uint64_t slot)
{
	const char *why;

	if (w[0] != REC_MAGIC)
		return;
	why = rec_check(w, slot, d->nslots);
	if (why) {
		disk_note_bad(d, slot, w[1], why);
		return;
	}
	d->records++;
	d->slot_seq[slot] = w[1];
	if (w[1] > d->max_seq)
		d->max_seq = w[1];
}

/*
 * Reads every slot, verifies every record, then counts "missing" records:
 * seqs in the last ring's worth below max_seq whose slot does not hold them.
 */
static int disk_scan(struct diskw *d)
{
	uint64_t lo;

	for (uint64_t slot = 0; slot < d->nslots; slot += SCAN_CHUNK) {
		uint64_t n = d->nslots - slot < SCAN_CHUNK ? d->nslots - slot : SCAN_CHUNK;
		if (pread(d->fd, d->rbuf, n * REC_SZ, slot * REC_SZ) != (ssize_t)(n * REC_SZ)) {
			say("DISK-ERROR dev=%s reason=read slot=%llu", cfg.disk,
			    (unsigned long long)slot);
			return -1;
		}
		for (uint64_t i = 0; i < n; i++)
			disk_scan_slot(d, d->rbuf + i * REC_WORDS, slot + i);
	}
	lo = d->max_seq > d->nslots ? d->max_seq - d->nslots + 1 : 1;
	for (uint64_t s = lo; d->max_seq && s <= d->max_seq; s++)
		if (d->slot_seq[s % d->nslots] != s)
			d->missing++;
	say("DISK-VERIFY records=%llu max_seq=%llu bad=%llu missing=%llu",
	    (unsigned long long)d->records, (unsigned long long)d->max_seq,
	    (unsigned long long)d->bad, (unsigned long long)d->missing);
	return 0;
}

/* Writes record `seq`, flushes it to the virtual disk and reads it back. */
static int disk_append(struct diskw *d, uint64_t seq)
{
	uint64_t slot = seq % d->nslots;
	off_t off = (off_t)slot * REC_SZ;

	rec_build(d->wbuf, seq, d->nslots, d->boot_id);
	if (pwrite(d->fd, d->wbuf, REC_SZ, off) != REC_SZ || fdatasync(d->fd) != 0) {
		say("DISK-ERROR dev=%s reason=write seq=%llu err=%s", cfg.disk,
		    (unsigned long long)seq, strerror(errno));
		return -1;
	}
	memset(d->rbuf, 0, REC_SZ);
	if (pread(d->fd, d->rbuf, REC_SZ, off) != REC_SZ) {
		disk_note_bad(d, slot, seq, "readback-io");
		return 0;
	}
	if (memcmp(d->wbuf, d->rbuf, REC_SZ) != 0)
		disk_note_bad(d, slot, seq, "readback");
	return 0;
}

static void disk_run(struct diskw *d)
{
	struct pacer pace;
	uint64_t seq = d->max_seq, next_report = now_ns() + NS_PER_S;

	pacer_init(&pace, (double)cfg.disk_rate);
	while (!stop_requested) {
		if (now_ns() >= next_report) {
			say("DISK-OK seq=%llu", (unsigned long long)seq);
			next_report += NS_PER_S;
		}
		if (!pacer_ready(&pace))
			continue;
		if (disk_append(d, seq + 1) < 0) {
			sleep_ns(NS_PER_S);
			continue;
		}
		seq++;
	}
	say("DISK-STOP seq=%llu bad=%llu", (unsigned long long)seq,
	    (unsigned long long)d->bad);
}

static void *disk_main(void *arg)
{
	static struct diskw d;

	(void)arg;
	if (disk_open(&d) < 0 || disk_scan(&d) < 0) {
		mark_ready();
		disk_done = 1;
		return NULL;
	}
	disk_running = cfg.disk;
	mark_ready();
	if (!cfg.disk_ro)
		disk_run(&d);
	disk_done = 1;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Power button watcher ("--powerbtn"): the guest must shut down        */
/* cleanly on QMP system_powerdown, which Linux reports as KEY_POWER    */
/* from the ACPI button driver.                                         */

static int open_event_devices(struct pollfd *fds, int max)
{
	DIR *dir = opendir("/dev/input");
	struct dirent *de;
	int n = 0;

	while (dir && (de = readdir(dir)) && n < max) {
		char path[300];
		if (strncmp(de->d_name, "event", 5))
			continue;
		snprintf(path, sizeof path, "/dev/input/%s", de->d_name);
		fds[n].fd = open(path, O_RDONLY | O_CLOEXEC);
		fds[n].events = POLLIN;
		if (fds[n].fd >= 0)
			n++;
	}
	if (dir)
		closedir(dir);
	return n;
}

static int wait_power_button(void)
{
	struct pollfd fds[32];
	struct input_event ev[16];

	for (;;) {
		int n = open_event_devices(fds, 32);
		if (n == 0 || poll(fds, n, 10000) <= 0) {
			/* no device yet, or quiet for 10 s: rescan for new devices */
			for (int i = 0; i < n; i++)
				close(fds[i].fd);
			if (n == 0)
				sleep(1);
			continue;
		}
		for (int i = 0; i < n; i++) {
			ssize_t r = (fds[i].revents & POLLIN) ? read(fds[i].fd, ev, sizeof ev) : 0;
			for (ssize_t k = 0; k < r / (ssize_t)sizeof ev[0]; k++)
				if (ev[k].type == EV_KEY && ev[k].code == KEY_POWER && ev[k].value == 1)
					return 0;
		}
		for (int i = 0; i < n; i++)
			close(fds[i].fd);
	}
}

/* ------------------------------------------------------------------ */

static void on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void print_ready(void)
{
	struct utsname u;

	if (uname(&u) != 0)
		strcpy(u.release, "unknown");
	say("FERRY-GUEST-READY kernel=%s mem=%ld disk=%s", u.release, mem_running,
	    disk_running);
}

static void start_thread(void *(*fn)(void *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, NULL) != 0) {
		say("FERRY-WORKLOAD-ERROR reason=pthread_create");
		exit(1);
	}
	pthread_detach(t);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };

	if (argc > 1 && !strcmp(argv[1], "--powerbtn"))
		return wait_power_button();
	config_load();
	if (cfg.probe) {
		print_ready();
		return 0;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	ready_pending = (cfg.mem_mib > 0) + (cfg.disk[0] != 0);
	disk_done = !cfg.disk[0];
	start_thread(heartbeat_main);
	if (cfg.mem_mib > 0)
		start_thread(mem_main);
	if (cfg.disk[0])
		start_thread(disk_main);
	wait_all_ready();
	print_ready();
	while (!stop_requested)
		sleep_ns(100 * NS_PER_MS);
	/* let the disk worker finish its record and print DISK-STOP (max 3 s) */
	for (int i = 0; i < 60 && !disk_done; i++)
		sleep_ns(50 * NS_PER_MS);
	say("FERRY-WORKLOAD-STOP");
	return 0;
}
