/*
 * Kestrel: PID 1 of every hypr microVM.
 *
 * Boot: mount the API filesystems, load the kernel modules shipped in the initramfs,
 * mount the squashfs rootfs read-only under a tmpfs-backed overlay, switch root,
 * configure hostname/network/DNS from the boot config on the kernel command line.
 * Then one poll loop: wait for the workload config (argv, env, secrets) from the host
 * over the agent channel, run the workload, relay its output to the host, serve exec
 * sessions, reap zombies, and power the VM off when asked or when the workload ends.
 *
 * The host protocol is documented in PROTOCOL.md; keep the two in sync.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/vm_sockets.h>
#include <net/if.h>
#include <net/route.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---------- protocol constants (PROTOCOL.md) ---------- */
enum {
    T_HELLO_REQ = 0x01, T_PING = 0x02, T_POWEROFF = 0x03, T_EXEC = 0x04,
    T_STDIN = 0x05, T_STDIN_CLOSE = 0x06, T_RESIZE = 0x07, T_SIGNAL = 0x08, T_CONFIG = 0x09,
    T_HELLO = 0x81, T_PONG = 0x82, T_STARTED = 0x83, T_EXITED = 0x84,
    T_STDOUT = 0x85, T_STDERR = 0x86, T_ERROR = 0x87, T_LOG = 0x88, T_SHUTDOWN = 0x89, T_HEALTH = 0x8a,
};
#define HDR 9
#define MAX_PAYLOAD (1u << 20)
#define CHUNK 16384
#define HIGH_WATER (1u << 20) /* stop reading process output above this much unsent data */
#define AGENT_PORT_NAME "dev.hypr.agent"
#define AGENT_VSOCK_PORT 1024
#define MAX_PROCS 65 /* slot 0 = workload, the rest exec sessions */

/* ---------- small helpers ---------- */
static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct buf { char *data; size_t len, cap, pos; }; /* pos: bytes already consumed */

static char *buf_reserve(struct buf *b, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) abort();
        b->data = d;
        b->cap = cap;
    }
    return b->data + b->len;
}
static void buf_append(struct buf *b, const void *p, size_t n)
{
    memcpy(buf_reserve(b, n), p, n);
    b->len += n;
}
static size_t buf_pending(const struct buf *b) { return b->len - b->pos; }
static void buf_consume(struct buf *b, size_t n)
{
    b->pos += n;
    if (b->pos == b->len) b->pos = b->len = 0;
    else if (b->pos > 65536) { memmove(b->data, b->data + b->pos, b->len - b->pos); b->len -= b->pos; b->pos = 0; }
}
static void buf_clear(struct buf *b) { b->len = b->pos = 0; }

static void put32(char *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static uint32_t get32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

/* ---------- host channel ---------- */
static struct {
    int fd;          /* connected stream, -1 when none */
    int listen_fd;   /* vsock listener (cloud-hypervisor), -1 under virtio-serial */
    int is_vport;    /* virtio-serial port: the fd stays open, host presence comes from POLLHUP */
    int connected;
    struct buf out, in;
    size_t frame_start;  /* offset in `out` of the first frame not completely written */
} ch = { .fd = -1, .listen_fd = -1 };

/* Account for n bytes of `out` written to the host. Compaction happens only at frame
 * boundaries so that `frame_start` always points at a valid header. */
static void out_written(size_t n)
{
    struct buf *b = &ch.out;
    b->pos += n;
    while (ch.frame_start < b->len && ch.frame_start + HDR + get32(b->data + ch.frame_start) <= b->pos)
        ch.frame_start += HDR + get32(b->data + ch.frame_start);
    if (ch.frame_start == b->len) { b->len = b->pos = ch.frame_start = 0; }
    else if (ch.frame_start > 65536) {
        memmove(b->data, b->data + ch.frame_start, b->len - ch.frame_start);
        b->len -= ch.frame_start;
        b->pos -= ch.frame_start;
        ch.frame_start = 0;
    }
}

static void frame(uint8_t type, uint32_t id, const void *payload, size_t n)
{
    char h[HDR];
    put32(h, (uint32_t)n);
    h[4] = (char)type;
    put32(h + 5, id);
    buf_append(&ch.out, h, HDR);
    if (n) buf_append(&ch.out, payload, n);
}

static void logmsg(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n >= (int)sizeof msg) n = sizeof msg - 1;
    dprintf(2, "kestrel[%lld]: %s\n", now_ms(), msg);
    frame(T_LOG, 0, msg, (size_t)n);
}

/* ---------- runtime config: base64 of NUL-separated key=value entries ---------- */
struct kv { const char *key; size_t keylen; const char *val; size_t vallen; };

/* Iterate "k=v\0k=v\0..." in [*p, end); returns 0 when done. */
static int kv_next(const char **p, const char *end, struct kv *out)
{
    while (*p < end) {
        const char *s = *p, *z = memchr(s, 0, (size_t)(end - s));
        if (!z) z = end;
        *p = z < end ? z + 1 : end;
        const char *eq = memchr(s, '=', (size_t)(z - s));
        if (!eq) continue; /* tolerate junk: skip entries without '=' */
        out->key = s; out->keylen = (size_t)(eq - s);
        out->val = eq + 1; out->vallen = (size_t)(z - eq - 1);
        return 1;
    }
    return 0;
}
static int kv_is(const struct kv *kv, const char *key)
{
    return kv->keylen == strlen(key) && memcmp(kv->key, key, kv->keylen) == 0;
}
static char *kv_dup(const struct kv *kv) { return strndup(kv->val, kv->vallen); }

static size_t base64_decode(const char *in, size_t n, char *out)
{
    unsigned acc = 0, bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)in[i], v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+' || c == '-') v = 62; /* standard and URL-safe alphabets */
        else if (c == '/' || c == '_') v = 63;
        else continue;                        /* '=' padding, whitespace */
        acc = acc << 6 | (unsigned)v;
        bits += 6;
        if (bits >= 8) { bits -= 8; out[o++] = (char)(acc >> bits); }
    }
    return o;
}

/* A process to run: parsed from the boot config (workload) or an EXEC frame. */
struct spec {
    char **argv; int argc;
    char **envp; int envc;
    char *cwd;
    uid_t uid; gid_t gid;
    int tty; unsigned short cols, rows;
};

static void push(char ***vec, int *n, char *s)
{
    *vec = realloc(*vec, sizeof(char *) * (size_t)(*n + 2));
    if (!*vec) abort();
    (*vec)[(*n)++] = s;
    (*vec)[*n] = NULL;
}

static void spec_free(struct spec *s)
{
    for (int i = 0; i < s->argc; i++) free(s->argv[i]);
    for (int i = 0; i < s->envc; i++) free(s->envp[i]);
    free(s->argv); free(s->envp); free(s->cwd);
    memset(s, 0, sizeof *s);
}

/* Keys shared by the workload config and EXEC requests. Returns 1 if the key was one of them. */
static int spec_take(struct spec *s, const struct kv *kv)
{
    if (kv_is(kv, "arg")) push(&s->argv, &s->argc, kv_dup(kv));
    else if (kv_is(kv, "env")) push(&s->envp, &s->envc, kv_dup(kv));
    else if (kv_is(kv, "cwd")) { free(s->cwd); s->cwd = kv_dup(kv); }
    else if (kv_is(kv, "user")) {
        char *v = kv_dup(kv), *colon = strchr(v, ':');
        s->uid = (uid_t)strtoul(v, NULL, 10);
        s->gid = colon ? (gid_t)strtoul(colon + 1, NULL, 10) : (gid_t)s->uid;
        free(v);
    } else if (kv_is(kv, "tty")) s->tty = kv->vallen && kv->val[0] == '1';
    else if (kv_is(kv, "cols")) { char *v = kv_dup(kv); s->cols = (unsigned short)atoi(v); free(v); }
    else if (kv_is(kv, "rows")) { char *v = kv_dup(kv); s->rows = (unsigned short)atoi(v); free(v); }
    else return 0;
    return 1;
}

enum restart_policy { RESTART_NEVER, RESTART_ON_FAILURE, RESTART_ALWAYS };

static struct {
    struct spec workload;
    char *hostname, *ip, *gw, *rootdev, *rootfstype;
    char *upper; /* serial of an ext4 disk that holds the overlay's upper layer (build VMs); absent: tmpfs */
    char **dns; int ndns;
    char **mounts; int nmounts;
    char **shares; int nshares; /* "tag:path:ro|rw", virtiofs host directories */
    char **volumes; int nvolumes; /* volume= entries of the workload config, mounted before it starts */
    char **secrets; int nsecrets; /* "NAME:base64", written to /run/secrets once the workload config is in */
    char **secret_at; int nsecret_at; /* "NAME:/path": /run/secrets/NAME also bind-mounted (read-only) there */
    enum restart_policy restart;
    int stop_grace_ms;
    int halt_poweroff; /* hypr.halt=poweroff: cloud-hypervisor exits on ACPI poweroff but reboots on reboot */
    int configured;    /* the workload config arrived (CONFIG frame, or a kestrel/1 host's command line) */
} cfg = { .stop_grace_ms = 5000 };

static int health_take(const struct kv *kv); /* hc_* keys, with the health checker below */

/* Keys of the workload config. On the kernel command line they are accepted from kestrel/1
 * hosts only; boot keys in a CONFIG frame are ignored (the boot is long done). */
static int workload_take(const struct kv *kv)
{
    if (spec_take(&cfg.workload, kv) || health_take(kv)) return 1;
    if (kv_is(kv, "stop_grace_ms")) { char *v = kv_dup(kv); cfg.stop_grace_ms = atoi(v); free(v); }
    else if (kv_is(kv, "restart")) {
        cfg.restart = kv->vallen && kv->val[0] == 'a' ? RESTART_ALWAYS
                    : kv->vallen && kv->val[0] == 'o' ? RESTART_ON_FAILURE : RESTART_NEVER;
    } else if (kv_is(kv, "secret")) push(&cfg.secrets, &cfg.nsecrets, kv_dup(kv));
    else if (kv_is(kv, "secret_at")) push(&cfg.secret_at, &cfg.nsecret_at, kv_dup(kv));
    else if (kv_is(kv, "volume")) push(&cfg.volumes, &cfg.nvolumes, kv_dup(kv));
    else return 0;
    return 1;
}

static void parse_config(const char *raw, size_t n)
{
    const char *p = raw, *end = raw + n;
    struct kv kv;
    while (kv_next(&p, end, &kv)) {
        if (workload_take(&kv)) { cfg.configured = 1; continue; } /* a kestrel/1 host */
        if (kv_is(&kv, "hostname")) cfg.hostname = kv_dup(&kv);
        else if (kv_is(&kv, "ip")) cfg.ip = kv_dup(&kv);
        else if (kv_is(&kv, "gw")) cfg.gw = kv_dup(&kv);
        else if (kv_is(&kv, "dns")) push(&cfg.dns, &cfg.ndns, kv_dup(&kv));
        else if (kv_is(&kv, "mount")) push(&cfg.mounts, &cfg.nmounts, kv_dup(&kv));
        else if (kv_is(&kv, "share")) push(&cfg.shares, &cfg.nshares, kv_dup(&kv));
        else if (kv_is(&kv, "root")) cfg.rootdev = kv_dup(&kv);
        else if (kv_is(&kv, "rootfstype")) cfg.rootfstype = kv_dup(&kv);
        else if (kv_is(&kv, "upper")) cfg.upper = kv_dup(&kv);
        else logmsg("config: ignoring unknown key %.*s", (int)kv.keylen, kv.key);
    }
}

static void read_kernel_config(void)
{
    static char cmdline[8192];
    int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, cmdline, sizeof cmdline - 1) : -1;
    if (fd >= 0) close(fd);
    if (n <= 0) { logmsg("cannot read /proc/cmdline"); return; }
    cmdline[n] = 0;
    for (char *tok = strtok(cmdline, " \n"); tok; tok = strtok(NULL, " \n")) {
        if (!strcmp(tok, "hypr.halt=poweroff")) cfg.halt_poweroff = 1;
        if (!strncmp(tok, "hypr.upper=", 11)) cfg.upper = strdup(tok + 11); /* build VMs: upper layer on a disk */
        if (strncmp(tok, "hypr.cfg=", 9) != 0) continue;
        size_t len = strlen(tok + 9);
        char *raw = malloc(len + 1);
        size_t rawlen = base64_decode(tok + 9, len, raw);
        parse_config(raw, rawlen);
        free(raw);
    }
    if (!cfg.configured) logmsg("waiting for the workload config from the host");
}

/* ---------- boot: filesystems, modules, rootfs ---------- */
static void mount_or_log(const char *src, const char *dst, const char *type, unsigned long fl, const char *data)
{
    mkdir(dst, 0755);
    if (mount(src, dst, type, fl, data) != 0 && errno != EBUSY)
        logmsg("mount %s on %s (%s): %s", src, dst, type, strerror(errno));
}

static void mount_api_filesystems(void)
{
    mount_or_log("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_or_log("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_or_log("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    mount_or_log("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=666");
    mount_or_log("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    mount_or_log("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
    /* The kernel could not open /dev/console for us: the initramfs has no device nodes. */
    int fd = open("/dev/console", O_RDWR | O_NOCTTY);
    if (fd >= 0) { dup2(fd, 0); dup2(fd, 1); dup2(fd, 2); if (fd > 2) close(fd); }
}

/* Modules listed in /lib/modules/load-order (dependencies first). A module that is
 * built in is simply absent from the list; EEXIST means something already loaded it. */
static void load_modules(void)
{
    FILE *f = fopen("/lib/modules/load-order", "re");
    if (!f) return;
    char name[256], path[300];
    long long t0 = now_ms();
    int loaded = 0;
    while (fgets(name, sizeof name, f)) {
        name[strcspn(name, "\r\n")] = 0;
        if (!name[0]) continue;
        snprintf(path, sizeof path, "/lib/modules/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) { logmsg("module %s: %s", name, strerror(errno)); continue; }
        if (syscall(SYS_finit_module, fd, "", 0) == 0) loaded++;
        else if (errno != EEXIST) logmsg("finit_module %s: %s", name, strerror(errno));
        close(fd);
    }
    fclose(f);
    logmsg("loaded %d modules in %lld ms", loaded, now_ms() - t0);
}

static int wait_for_path(const char *path, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    while (access(path, F_OK) != 0) {
        if (now_ms() > deadline) return -1;
        usleep(2000);
    }
    return 0;
}

/* Delete the initramfs contents (they would pin RAM forever), staying on its device,
 * as busybox switch_root does. Mount points are on other devices and survive. */
static void delete_tree(int dirfd, dev_t rootdev)
{
    DIR *d = fdopendir(dirfd);
    if (!d) { close(dirfd); return; }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_dev != rootdev) continue;
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (sub >= 0) delete_tree(sub, rootdev);
            unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
        } else {
            unlinkat(dirfd, e->d_name, 0);
        }
    }
    closedir(d);
}

/* The upper layer's directory on its disk (upper=), for layer tars; -1 when the upper is tmpfs. */
static int upper_fd = -1;

/* /dev/vdX whose /sys/block/vdX/serial is `serial` (virtio-blk keeps at most 20 bytes). */
static int find_disk_by_serial(const char *serial, char *dev, size_t n, int timeout_ms) /* n >= 262 */
{
    long long deadline = now_ms() + timeout_ms;
    do {
        DIR *d = opendir("/sys/block");
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (strncmp(e->d_name, "vd", 2) != 0) continue;
            char path[128], got[64] = "";
            snprintf(path, sizeof path, "/sys/block/%s/serial", e->d_name);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            ssize_t r = fd >= 0 ? read(fd, got, sizeof got - 1) : -1;
            if (fd >= 0) close(fd);
            while (r > 0 && (got[r - 1] == '\n' || got[r - 1] == 0)) r--;
            if (r > 0 && (size_t)r == strlen(serial) && !memcmp(got, serial, (size_t)r)) {
                snprintf(dev, n, "/dev/%s", e->d_name);
                closedir(d);
                return wait_for_path(dev, timeout_ms);
            }
        }
        if (d) closedir(d);
        usleep(50000);
    } while (now_ms() < deadline);
    return -1;
}

/* ---------- layer tar: the upper directory as an OCI layer (exec "kestrel-layer-tar") ---------- */
struct tarout { int fd; char buf[65536]; size_t len; int failed; };

static void tar_write(struct tarout *t, const void *p, size_t n)
{
    const char *c = p;
    while (n && !t->failed) {
        size_t k = sizeof t->buf - t->len < n ? sizeof t->buf - t->len : n;
        memcpy(t->buf + t->len, c, k);
        t->len += k; c += k; n -= k;
        if (t->len == sizeof t->buf) {
            for (size_t off = 0; off < t->len;) {
                ssize_t w = write(t->fd, t->buf + off, t->len - off);
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0) { t->failed = 1; break; }
                off += (size_t)w;
            }
            t->len = 0;
        }
    }
}

static void tar_pad(struct tarout *t, unsigned long long size)
{
    static const char zero[512];
    if (size % 512) tar_write(t, zero, 512 - size % 512);
}

static void tar_octal(char *field, size_t width, unsigned long long v)
{
    snprintf(field, width, "%0*llo", (int)width - 1, v);
}

/* One ustar header; a PAX record carries names that do not fit. */
static void tar_header(struct tarout *t, const char *name, const char *link, char type, const struct stat *st,
                       unsigned long long size)
{
    if (strlen(name) > 99 || (link && strlen(link) > 99)) {
        char pax[8192];
        size_t n = 0;
        const char *keys[2] = { "path", "linkpath" }, *vals[2] = { name, link };
        for (int i = 0; i < 2; i++) {
            if (!vals[i]) continue;
            size_t body = strlen(keys[i]) + strlen(vals[i]) + 3, len = body + 1;
            while (len != body + (size_t)snprintf(NULL, 0, "%zu", len)) len = body + (size_t)snprintf(NULL, 0, "%zu", len);
            n += (size_t)snprintf(pax + n, sizeof pax - n, "%zu %s=%s\n", len, keys[i], vals[i]);
            if (n >= sizeof pax) return;
        }
        struct stat none = { .st_mode = 0644 };
        char hdr[512] = { 0 };
        snprintf(hdr, 100, "PaxHeader");
        tar_octal(hdr + 100, 8, none.st_mode); tar_octal(hdr + 108, 8, 0); tar_octal(hdr + 116, 8, 0);
        tar_octal(hdr + 124, 12, n); tar_octal(hdr + 136, 12, 0);
        hdr[156] = 'x';
        memcpy(hdr + 257, "ustar", 6); memcpy(hdr + 263, "00", 2);
        memset(hdr + 148, ' ', 8);
        unsigned sum = 0;
        for (int i = 0; i < 512; i++) sum += (unsigned char)hdr[i];
        snprintf(hdr + 148, 8, "%06o", sum);
        tar_write(t, hdr, 512);
        tar_write(t, pax, n);
        tar_pad(t, n);
    }
    char hdr[512] = { 0 };
    strncpy(hdr, name, 100);
    tar_octal(hdr + 100, 8, st->st_mode & 07777);
    tar_octal(hdr + 108, 8, st->st_uid & 07777777);
    tar_octal(hdr + 116, 8, st->st_gid & 07777777);
    tar_octal(hdr + 124, 12, size);
    tar_octal(hdr + 136, 12, st->st_mtime > 0 ? (unsigned long long)st->st_mtime : 0);
    hdr[156] = type;
    if (link) strncpy(hdr + 157, link, 100);
    memcpy(hdr + 257, "ustar", 6); memcpy(hdr + 263, "00", 2);
    if (type == '3' || type == '4') { tar_octal(hdr + 329, 8, major(st->st_rdev)); tar_octal(hdr + 337, 8, minor(st->st_rdev)); }
    memset(hdr + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++) sum += (unsigned char)hdr[i];
    snprintf(hdr + 148, 8, "%06o", sum);
    tar_write(t, hdr, 512);
}

/* Writes dir (relative name `rel`, "" for the top) and everything below; overlay whiteouts (0:0 char
 * devices) become .wh.NAME entries and opaque directories get a .wh..wh..opq entry. */
static void tar_tree(struct tarout *t, int dirfd, const char *rel)
{
    DIR *d = fdopendir(dirfd);
    if (!d) { close(dirfd); return; }
    struct dirent *e;
    while ((e = readdir(d)) && !t->failed) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char name[4096];
        struct stat st;
        snprintf(name, sizeof name, "%s%s", rel, e->d_name);
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISCHR(st.st_mode) && st.st_rdev == 0) {
            char wh[4200];
            struct stat plain = { .st_mode = 0644, .st_mtime = st.st_mtime };
            snprintf(wh, sizeof wh, "%s.wh.%s", rel, e->d_name);
            tar_header(t, wh, NULL, '0', &plain, 0);
        } else if (S_ISDIR(st.st_mode)) {
            char dname[4200];
            snprintf(dname, sizeof dname, "%s/", name);
            tar_header(t, dname, NULL, '5', &st, 0);
            int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) continue;
            char opq[2];
            if (fgetxattr(sub, "trusted.overlay.opaque", opq, sizeof opq) == 1 && opq[0] == 'y') {
                char wh[4200];
                struct stat plain = { .st_mode = 0644, .st_mtime = st.st_mtime };
                snprintf(wh, sizeof wh, "%s.wh..wh..opq", dname);
                tar_header(t, wh, NULL, '0', &plain, 0);
            }
            tar_tree(t, sub, dname);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlinkat(dirfd, e->d_name, target, sizeof target - 1);
            if (n < 0) continue;
            target[n] = 0;
            tar_header(t, name, target, '2', &st, 0);
        } else if (S_ISREG(st.st_mode)) {
            int fd = openat(dirfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) continue;
            tar_header(t, name, NULL, '0', &st, (unsigned long long)st.st_size);
            unsigned long long left = (unsigned long long)st.st_size;
            char buf[65536];
            while (left) {
                ssize_t n = read(fd, buf, left < sizeof buf ? left : sizeof buf);
                if (n <= 0) { memset(buf, 0, sizeof buf); n = (ssize_t)(left < sizeof buf ? left : sizeof buf); } /* shrank: pad */
                tar_write(t, buf, (size_t)n);
                left -= (unsigned long long)n;
            }
            tar_pad(t, (unsigned long long)st.st_size);
            close(fd);
        } else {
            char type = S_ISCHR(st.st_mode) ? '3' : S_ISBLK(st.st_mode) ? '4' : S_ISFIFO(st.st_mode) ? '6' : 0;
            if (type) tar_header(t, name, NULL, type, &st, 0);
        }
    }
    closedir(d);
}

/* Runs in the forked exec child: the whole upper directory as a tar on stdout. */
static int write_upper_tar(void)
{
    if (upper_fd < 0) { dprintf(2, "kestrel: no upper disk (boot key upper=)\n"); return 126; }
    static struct tarout t;
    t.fd = 1;
    tar_tree(&t, dup(upper_fd), "");
    static const char end[1024];
    tar_write(&t, end, sizeof end);
    for (size_t off = 0; off < t.len && !t.failed;) {
        ssize_t w = write(1, t.buf + off, t.len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) t.failed = 1; else off += (size_t)w;
    }
    return t.failed ? 1 : 0;
}

/* Why the rootfs could not be mounted, for the SHUTDOWN reason ("rootfs: ..."). */
static char rootfs_error[256];
#define ROOTFS_FAIL(...) do { \
        snprintf(rootfs_error, sizeof rootfs_error, __VA_ARGS__); \
        logmsg("%s", rootfs_error); \
        return -1; \
    } while (0)

static int mount_rootfs_and_switch(void)
{
    const char *dev = cfg.rootdev ? cfg.rootdev : "/dev/vda";
    if (!strcmp(dev, "none")) { logmsg("root=none: staying in the initramfs"); return 0; }
    if (wait_for_path(dev, 5000) != 0) ROOTFS_FAIL("root device %s did not appear", dev);

    mkdir("/.hypr", 0700);
    mkdir("/.hypr/lower", 0755);
    mkdir("/.hypr/rw", 0755);
    mkdir("/.hypr/root", 0755);
    const char *type = cfg.rootfstype ? cfg.rootfstype : "squashfs";
    if (mount(dev, "/.hypr/lower", type, MS_RDONLY, NULL) != 0)
        ROOTFS_FAIL("mount %s (%s): %s", dev, type, strerror(errno));
    if (cfg.upper) {
        char udev[300];
        if (find_disk_by_serial(cfg.upper, udev, sizeof udev, 5000) != 0) ROOTFS_FAIL("upper disk %s did not appear", cfg.upper);
        if (mount(udev, "/.hypr/rw", "ext4", 0, NULL) != 0) ROOTFS_FAIL("mount upper %s: %s", udev, strerror(errno));
    } else if (mount("tmpfs", "/.hypr/rw", "tmpfs", 0, "mode=0755") != 0) ROOTFS_FAIL("tmpfs upper: %s", strerror(errno));
    mkdir("/.hypr/rw/upper", 0755);
    mkdir("/.hypr/rw/work", 0755);
    if (cfg.upper) upper_fd = open("/.hypr/rw/upper", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* reachable after switch root */
    if (mount("overlay", "/.hypr/root", "overlay", 0,
              "lowerdir=/.hypr/lower,upperdir=/.hypr/rw/upper,workdir=/.hypr/rw/work") != 0)
        ROOTFS_FAIL("overlay: %s", strerror(errno));
    static const char *keep[] = { "/dev", "/proc", "/sys", "/run" };
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
        char dst[64];
        snprintf(dst, sizeof dst, "/.hypr/root%s", keep[i]);
        mkdir(dst, 0755);
        if (mount(keep[i], dst, NULL, MS_MOVE, NULL) != 0) logmsg("move %s: %s", keep[i], strerror(errno));
    }
    struct stat st;
    if (stat("/", &st) == 0) delete_tree(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC), st.st_dev);
    if (chdir("/.hypr/root") != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 || chroot(".") != 0 || chdir("/") != 0)
        ROOTFS_FAIL("switch root: %s", strerror(errno));
    return 0;
}

static void mkdir_p(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') { *p = 0; mkdir(tmp, 0755); *p = '/'; }
    mkdir(tmp, 0755);
}

/* mount=<device>:<path>[:<fstype>[:<options>]] */
static void mount_extra_disks(void)
{
    for (int i = 0; i < cfg.nmounts; i++) {
        char *spec = strdup(cfg.mounts[i]), *save = NULL;
        char *dev = strtok_r(spec, ":", &save), *path = strtok_r(NULL, ":", &save);
        char *type = strtok_r(NULL, ":", &save), *opts = strtok_r(NULL, "", &save);
        if (dev && path) {
            wait_for_path(dev, 5000);
            mkdir_p(path);
            if (mount(dev, path, type ? type : "ext4", 0, opts) != 0)
                logmsg("mount %s on %s: %s", dev, path, strerror(errno));
        }
        free(spec);
    }
}

/* share=<tag>:<path>:<ro|rw>: host directories over virtiofs. The path may hold ':' (the tag
 * ends at the first, the mode starts after the last). A share that will not mount ends the boot
 * (SHUTDOWN "share: ..."), as a rootfs does: the workload never runs without its data. */
static char share_error[256];
static int mount_virtiofs_shares(void)
{
    for (int i = 0; i < cfg.nshares; i++) {
        char *spec = strdup(cfg.shares[i]);
        char *first = strchr(spec, ':'), *last = strrchr(spec, ':');
        if (!first || first == last) {
            snprintf(share_error, sizeof share_error, "malformed share entry %s", cfg.shares[i]);
            free(spec);
            return -1;
        }
        *first = 0; *last = 0;
        const char *tag = spec, *path = first + 1;
        unsigned long flags = !strcmp(last + 1, "ro") ? MS_RDONLY : 0;
        mkdir_p(path);
        int rc = -1, err = 0;
        /* the device may still be probing right after the modules loaded */
        for (int tries = 0; tries < 50; tries++) {
            rc = mount(tag, path, "virtiofs", flags, NULL);
            err = errno;
            if (rc == 0 || (err != ENOENT && err != ENODEV)) break;
            usleep(100 * 1000);
        }
        if (rc != 0) {
            snprintf(share_error, sizeof share_error, "mount %s on %s (virtiofs): %s", tag, path, strerror(err));
            logmsg("%s", share_error);
            free(spec);
            return -1;
        }
        free(spec);
    }
    return 0;
}

/* ---------- volumes: disks found by serial, mounted before the workload starts ---------- */
/* volume=<serial>:<ro|rw>:<copy|nocopy>:<mountPath> (PROTOCOL.md 6). The path is last: it may hold ':'. */
#define VOLUME_STAGING "/.hypr-volume"
#define VOLUME_MARK "trusted.hypr.volume" /* on the volume's root: "copying", then "ready" */

static char volume_error[512];
#define VOLUME_FAIL(...) do { \
        snprintf(volume_error, sizeof volume_error, __VA_ARGS__); \
        logmsg("volume: %s", volume_error); \
        return -1; \
    } while (0)


/* Files with several links, so the copy links them again instead of duplicating them. */
struct linked { dev_t dev; ino_t ino; char *dst; };
static struct { struct linked *v; int n; } copied_links;

static int copy_metadata(const char *src, const char *dst, const struct stat *st)
{
    if (lchown(dst, st->st_uid, st->st_gid) != 0) return -1;
    if (!S_ISLNK(st->st_mode) && chmod(dst, st->st_mode & 07777) != 0) return -1; /* after chown: it clears set-id bits */
    char names[8192], value[65536];
    ssize_t len = llistxattr(src, names, sizeof names);
    for (ssize_t off = 0; len > 0 && off < len; off += (ssize_t)strlen(names + off) + 1) {
        const char *name = names + off;
        if (!strncmp(name, "trusted.overlay.", 16)) continue; /* overlayfs bookkeeping, not the image's */
        ssize_t vlen = lgetxattr(src, name, value, sizeof value);
        if (vlen < 0 || lsetxattr(dst, name, value, (size_t)vlen, 0) != 0)
            logmsg("volume copy: xattr %s of %s: %s", name, src, strerror(errno));
    }
    struct timespec times[2] = { st->st_atim, st->st_mtim };
    utimensat(AT_FDCWD, dst, times, AT_SYMLINK_NOFOLLOW);
    return 0;
}

static int copy_file(const char *src, const char *dst, const struct stat *st)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0) return -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0) { close(in); return -1; }
    off_t left = st->st_size;
    int rc = 0;
    while (left > 0) {
        ssize_t n = sendfile(out, in, NULL, left > (1 << 30) ? (1 << 30) : (size_t)left);
        if (n <= 0) { rc = -1; if (n == 0) errno = EIO; break; }
        left -= n;
    }
    close(in);
    if (close(out) != 0) rc = -1;
    return rc;
}

/* Copies the contents of directory `src` into the existing directory `dst`, keeping owners,
 * modes, times, symlinks, device nodes, xattrs and hard links. Stays on src's filesystem. */
static int copy_tree(const char *src, const char *dst, dev_t srcdev)
{
    DIR *d = opendir(src);
    if (!d) return -1;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char s[4096], t[4096];
        if (snprintf(s, sizeof s, "%s/%s", src, e->d_name) >= (int)sizeof s ||
            snprintf(t, sizeof t, "%s/%s", dst, e->d_name) >= (int)sizeof t) { errno = ENAMETOOLONG; rc = -1; break; }
        struct stat st;
        if (lstat(s, &st) != 0) { rc = -1; break; }
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != srcdev) continue; /* another mount inside the image path (e.g. an earlier volume) */
            if (mkdir(t, 0700) != 0 || copy_tree(s, t, srcdev) != 0) { rc = -1; break; }
        } else if (S_ISREG(st.st_mode)) {
            int i = 0;
            if (st.st_nlink > 1)
                for (; i < copied_links.n; i++)
                    if (copied_links.v[i].dev == st.st_dev && copied_links.v[i].ino == st.st_ino) break;
            if (st.st_nlink > 1 && i < copied_links.n) {
                if (link(copied_links.v[i].dst, t) != 0) rc = -1;
                continue; /* the inode's metadata is already there */
            }
            if (copy_file(s, t, &st) != 0) { rc = -1; break; }
            if (st.st_nlink > 1) {
                copied_links.v = realloc(copied_links.v, sizeof *copied_links.v * (size_t)(copied_links.n + 1));
                if (!copied_links.v) abort();
                copied_links.v[copied_links.n++] = (struct linked){ st.st_dev, st.st_ino, strdup(t) };
            }
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlink(s, target, sizeof target - 1);
            if (n < 0) { rc = -1; break; }
            target[n] = 0;
            if (symlink(target, t) != 0) { rc = -1; break; }
        } else if (mknod(t, st.st_mode, st.st_rdev) != 0) { rc = -1; break; }
        if (copy_metadata(s, t, &st) != 0) rc = -1;
    }
    int saved = errno;
    closedir(d);
    errno = saved;
    return rc;
}

/* Empties a volume's root but for lost+found (a first-mount copy that was cut short). */
static void wipe_volume(const char *root)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) { if (fd >= 0) close(fd); return; }
    struct dirent *e;
    struct stat rootst;
    fstat(fd, &rootst);
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "lost+found")) continue;
        struct stat st;
        if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (sub >= 0) delete_tree(sub, rootst.st_dev);
            unlinkat(fd, e->d_name, AT_REMOVEDIR);
        } else {
            unlinkat(fd, e->d_name, 0);
        }
    }
    closedir(d);
}

static int only_lost_found(const char *root)
{
    DIR *d = opendir(root);
    struct dirent *e;
    int empty = 1;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "lost+found")) empty = 0;
    if (d) closedir(d);
    return empty;
}

static int set_mark(const char *root, const char *value)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = syncfs(fd) == 0 && fsetxattr(fd, VOLUME_MARK, value, strlen(value), 0) == 0 && syncfs(fd) == 0 ? 0 : -1;
    close(fd);
    return rc;
}

/* Docker's first-mount copy. A volume is new until its first read-write mount has finished
 * (mark "ready"): only then, and only if it holds nothing but lost+found, is it filled with what
 * the image has at `path`. "copying" is set before the copy, so a copy cut short (crash, kill)
 * is wiped and redone on the next boot; a volume its user empties later is never refilled. */
static int first_mount_copy(const char *vol, const char *path, int copy)
{
    char mark[16] = "";
    ssize_t n = lgetxattr(vol, VOLUME_MARK, mark, sizeof mark - 1);
    if (n > 0 && !strncmp(mark, "ready", 5)) return 0;
    int redo = n > 0 && !strncmp(mark, "copying", 7);
    if (!redo && !only_lost_found(vol)) return set_mark(vol, "ready"); /* filled elsewhere: not new */
    struct stat st;
    if (redo) wipe_volume(vol);
    if (copy && stat(path, &st) == 0 && S_ISDIR(st.st_mode) && !only_lost_found(path)) {
        if (set_mark(vol, "copying") != 0) return -1;
        logmsg("volume: copying the image's %s into the new volume", path);
        if (copy_tree(path, vol, st.st_dev) != 0 || copy_metadata(path, vol, &st) != 0) return -1;
    }
    return set_mark(vol, "ready");
}

static int mount_volumes(void)
{
    char *paths[64] = { 0 }, *serials[64] = { 0 };
    int nmounted = 0;
    for (int i = 0; i < cfg.nvolumes; i++) {
        char *spec = cfg.volumes[i], serial[64], mode[8], copy[8];
        int off = 0;
        if (sscanf(spec, "%63[^:]:%7[^:]:%7[^:]:%n", serial, mode, copy, &off) != 3 || !off || spec[off] != '/')
            VOLUME_FAIL("bad volume entry \"%s\"", spec);
        const char *path = spec + off;
        int ro = !strcmp(mode, "ro");
        int j = 0;
        while (j < nmounted && strcmp(serials[j], serial) != 0) j++;
        mkdir_p(path);
        struct stat at;
        if (stat(path, &at) != 0) VOLUME_FAIL("%s on %s: cannot create the mount point: %s", serial, path, strerror(errno));
        if (!S_ISDIR(at.st_mode)) VOLUME_FAIL("%s on %s: not a directory in the image", serial, path);
        if (j < nmounted) { /* the same volume at a second path: a bind mount of the first */
            if (mount(paths[j], path, NULL, MS_BIND, NULL) != 0)
                VOLUME_FAIL("%s on %s: bind from %s: %s", serial, path, paths[j], strerror(errno));
            if (ro && mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
                VOLUME_FAIL("%s on %s: read-only: %s", serial, path, strerror(errno));
            continue;
        }
        char dev[300];
        if (find_disk_by_serial(serial, dev, sizeof dev, 5000) != 0)
            VOLUME_FAIL("%s on %s: no disk with serial %s", serial, path, serial);
        /* The disk is read-only (attached so) only when every mount of it is. */
        int disk_ro = 1;
        for (int k = i; k < cfg.nvolumes; k++) {
            size_t len = strlen(serial);
            if (!strncmp(cfg.volumes[k], serial, len) && !strncmp(cfg.volumes[k] + len, ":rw:", 4)) disk_ro = 0;
        }
        /* Mounted aside first, so the copy still sees the image's files at `path`. */
        mkdir(VOLUME_STAGING, 0700);
        if (mount(dev, VOLUME_STAGING, "ext4", disk_ro ? MS_RDONLY : 0, disk_ro ? "noload" : "noinit_itable") != 0)
            VOLUME_FAIL("%s on %s: mount %s (ext4): %s", serial, path, dev, strerror(errno));
        if (!ro && first_mount_copy(VOLUME_STAGING, path, !strcmp(copy, "copy")) != 0) {
            int saved = errno;
            umount2(VOLUME_STAGING, MNT_DETACH);
            VOLUME_FAIL("%s on %s: copying the image's files: %s", serial, path, strerror(saved));
        }
        if (mount(VOLUME_STAGING, path, NULL, MS_MOVE, NULL) != 0) {
            int saved = errno;
            umount2(VOLUME_STAGING, MNT_DETACH);
            VOLUME_FAIL("%s on %s: %s", serial, path, strerror(saved));
        }
        rmdir(VOLUME_STAGING);
        if (ro && !disk_ro && mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
            VOLUME_FAIL("%s on %s: read-only: %s", serial, path, strerror(errno));
        if (nmounted < 64) { paths[nmounted] = (char *)path; serials[nmounted] = strdup(serial); nmounted++; }
        logmsg("volume %s mounted on %s (%s)", serial, path, ro ? "read-only" : "read-write");
    }
    return 0;
}

/* ---------- network, hostname, DNS ---------- */
static int if_set(int sock, const char *ifname, unsigned long req, in_addr_t addr)
{
    struct ifreq ifr = { 0 };
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = addr;
    return ioctl(sock, req, &ifr);
}

static void if_up(int sock, const char *ifname)
{
    struct ifreq ifr = { 0 };
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) logmsg("up %s: %s", ifname, strerror(errno));
    }
}

/* The first interface that is not loopback (virtio-net shows up as eth0). */
static int first_ethernet(char *name, size_t n)
{
    DIR *d = opendir("/sys/class/net");
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && strcmp(e->d_name, "lo") != 0 && !found) {
            snprintf(name, n, "%.15s", e->d_name); /* IFNAMSIZ */
            found = 1;
        }
    if (d) closedir(d);
    return found;
}

static void configure_network(void)
{
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) return;
    if_up(sock, "lo");
    if (cfg.ip) {
        char ifname[IFNAMSIZ];
        for (int i = 0; i < 200 && !first_ethernet(ifname, sizeof ifname); i++) usleep(5000);
        char addr[64];
        snprintf(addr, sizeof addr, "%s", cfg.ip);
        char *slash = strchr(addr, '/');
        int prefix = slash ? atoi(slash + 1) : 24;
        if (slash) *slash = 0;
        in_addr_t mask = prefix <= 0 ? 0 : htonl(0xffffffffu << (32 - (prefix > 32 ? 32 : prefix)));
        if (!first_ethernet(ifname, sizeof ifname)) logmsg("ip=%s but no network interface", cfg.ip);
        else if (if_set(sock, ifname, SIOCSIFADDR, inet_addr(addr)) != 0 ||
                 if_set(sock, ifname, SIOCSIFNETMASK, mask) != 0)
            logmsg("address %s on %s: %s", cfg.ip, ifname, strerror(errno));
        else {
            if_up(sock, ifname);
            if (cfg.gw) {
                struct rtentry rt = { 0 };
                ((struct sockaddr_in *)&rt.rt_dst)->sin_family = AF_INET;
                ((struct sockaddr_in *)&rt.rt_genmask)->sin_family = AF_INET;
                struct sockaddr_in *gw = (struct sockaddr_in *)&rt.rt_gateway;
                gw->sin_family = AF_INET;
                gw->sin_addr.s_addr = inet_addr(cfg.gw);
                rt.rt_flags = RTF_UP | RTF_GATEWAY;
                if (ioctl(sock, SIOCADDRT, &rt) != 0 && errno != EEXIST) logmsg("gateway %s: %s", cfg.gw, strerror(errno));
            }
        }
    }
    close(sock);
}

static void write_file(const char *path, const char *content)
{
    unlink(path); /* it may be a dangling symlink into a resolver daemon's runtime dir */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) { logmsg("write %s: %s", path, strerror(errno)); return; }
    if (write(fd, content, strlen(content)) < 0) logmsg("write %s: %s", path, strerror(errno));
    close(fd);
}

static void configure_identity(void)
{
    mkdir("/etc", 0755);
    if (cfg.hostname) {
        if (sethostname(cfg.hostname, strlen(cfg.hostname)) != 0) logmsg("sethostname: %s", strerror(errno));
        char text[512];
        snprintf(text, sizeof text, "%s\n", cfg.hostname);
        write_file("/etc/hostname", text);
        char addr[64] = "127.0.1.1";
        if (cfg.ip) { snprintf(addr, sizeof addr, "%s", cfg.ip); addr[strcspn(addr, "/")] = 0; }
        snprintf(text, sizeof text, "127.0.0.1\tlocalhost\n%s\t%s\n", addr, cfg.hostname);
        write_file("/etc/hosts", text);
    }
    if (cfg.ndns) {
        char text[1024] = "";
        for (int i = 0; i < cfg.ndns; i++) {
            size_t l = strlen(text);
            snprintf(text + l, sizeof text - l, "nameserver %s\n", cfg.dns[i]);
        }
        write_file("/etc/resolv.conf", text);
    }
}

/* ---------- processes: the workload (slot 0) and exec sessions ---------- */
struct proc {
    int used;
    uint32_t id;
    pid_t pid;
    int in_fd, out_fd, err_fd; /* with a tty, out_fd is the pty master and in_fd == out_fd */
    int tty;
    struct buf in;
    int close_in;              /* close stdin once `in` is drained */
};
static struct proc procs[MAX_PROCS];

static struct {
    enum { WL_NONE, WL_RUNNING, WL_WAITING_RESTART, WL_DONE } state;
    int restarts, last_code;
    long long started_ms, restart_at_ms, backoff_ms;
} wl = { .backoff_ms = 100 };

static struct { int active; long long deadline_ms; } stopping;

static void close_fd(int *fd) { if (*fd >= 0) close(*fd); *fd = -1; }

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static void child_exec(const struct spec *s, const char *pts)
{
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    setsid();
    if (s->argc == 1 && !strcmp(s->argv[0], "kestrel-layer-tar")) _exit(write_upper_tar());
    if (pts) {
        int fd = open(pts, O_RDWR);
        if (fd < 0) _exit(126);
        ioctl(fd, TIOCSCTTY, 0);
        dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
        if (fd > 2) close(fd);
    }
    if ((s->uid || s->gid) && (setgroups(0, NULL) != 0 || setgid(s->gid) != 0)) { dprintf(2, "kestrel: setgid %u: %s\n", s->gid, strerror(errno)); _exit(126); }
    if (s->uid && setuid(s->uid) != 0) { dprintf(2, "kestrel: setuid %u: %s\n", s->uid, strerror(errno)); _exit(126); }
    if (s->cwd && chdir(s->cwd) != 0) { dprintf(2, "kestrel: chdir %s: %s\n", s->cwd, strerror(errno)); _exit(126); }
    /* execvp searches the PATH of *our* environment, so install the target one first. */
    static char *defaults[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/", NULL };
    clearenv();
    for (char **e = defaults; *e; e++) putenv(*e);
    if (s->tty) putenv("TERM=xterm");
    for (int i = 0; i < s->envc; i++) putenv(s->envp[i]);
    execvp(s->argv[0], s->argv);
    dprintf(2, "kestrel: exec %s: %s\n", s->argv[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

/* Fork and exec `s` into slot p. `with_stdin`: give it a stdin pipe (exec) or /dev/null (workload). */
static int spawn(const struct spec *s, struct proc *p, int with_stdin)
{
    int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 }, master = -1;
    char pts[64] = "";
    if (s->argc == 0) return -1;
    if (s->tty) {
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) || unlockpt(master) || ptsname_r(master, pts, sizeof pts)) goto fail;
        struct winsize ws = { .ws_row = s->rows ? s->rows : 24, .ws_col = s->cols ? s->cols : 80 };
        ioctl(master, TIOCSWINSZ, &ws);
    } else {
        if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) goto fail;
        if (with_stdin && pipe2(in, O_CLOEXEC)) goto fail;
    }
    pid_t pid = fork();
    if (pid < 0) goto fail;
    if (pid == 0) {
        if (!s->tty) {
            int null = open("/dev/null", O_RDWR | O_CLOEXEC);
            dup2(with_stdin ? in[0] : null, 0); /* dup2'd copies do not inherit O_CLOEXEC */
            dup2(out[1], 1);
            dup2(err[1], 2);
        }
        child_exec(s, s->tty ? pts : NULL);
    }
    close_fd(&in[0]); close_fd(&out[1]); close_fd(&err[1]);
    p->pid = pid;
    p->tty = s->tty;
    if (s->tty) { p->in_fd = p->out_fd = master; p->err_fd = -1; }
    else { p->in_fd = in[1]; p->out_fd = out[0]; p->err_fd = err[0]; }
    if (p->in_fd >= 0) set_nonblock(p->in_fd);
    if (p->out_fd >= 0) set_nonblock(p->out_fd);
    if (p->err_fd >= 0) set_nonblock(p->err_fd);
    char pidbuf[4];
    put32(pidbuf, (uint32_t)pid);
    frame(T_STARTED, p->id, pidbuf, 4);
    return 0;
fail:
    logmsg("spawn %s: %s", s->argv[0], strerror(errno));
    close_fd(&master);
    for (int i = 0; i < 2; i++) { close_fd(&in[i]); close_fd(&out[i]); close_fd(&err[i]); }
    return -1;
}

/* Read one chunk of process output straight into an outgoing frame. Returns bytes read, 0 on EOF/error. */
static ssize_t relay_output(struct proc *p, int *fd, uint8_t type)
{
    char *h = buf_reserve(&ch.out, HDR + CHUNK);
    ssize_t n = read(*fd, h + HDR, CHUNK);
    if (n > 0) {
        put32(h, (uint32_t)n);
        h[4] = (char)type;
        put32(h + 5, p->id);
        ch.out.len += HDR + (size_t)n;
        return n;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        if (p->in_fd == *fd) p->in_fd = -1; /* pty master: one fd for both directions */
        close_fd(fd);
    }
    return 0;
}

static void free_proc(struct proc *p)
{
    if (p->in_fd == p->out_fd) p->in_fd = -1;
    close_fd(&p->in_fd); close_fd(&p->out_fd); close_fd(&p->err_fd);
    free(p->in.data);
    memset(p, 0, sizeof *p);
    p->in_fd = p->out_fd = p->err_fd = -1;
}

/* ---------- health checks (PROTOCOL.md 5) ---------- */
#define HC_OUTPUT_MAX 4096
enum hc_kind { HC_NONE, HC_EXEC, HC_HTTP, HC_TCP };
enum hc_status { HC_STARTING, HC_HEALTHY, HC_UNHEALTHY };
static struct {
    enum hc_kind kind;
    char **argv; int argc;                       /* exec: run with the workload's env, user and cwd */
    int port; char *path;                        /* http, tcp */
    int period_ms, timeout_ms, retries, initial_ms, start_period_ms, start_interval_ms;
    int successes;                               /* consecutive passes that make a starting or unhealthy workload healthy */
    int restart;                                 /* on_unhealthy=restart: liveness */
    /* state, per workload start */
    enum hc_status status;
    int failures;                                /* consecutive counted failures */
    int passes;                                  /* consecutive passes */
    int start_ended;                             /* a pass ends the start period */
    long long started_ms, next_ms, deadline_ms, kill_ms;
    pid_t pid;                                   /* running exec probe */
    int fd;                                      /* exec: output pipe; http/tcp: socket */
    int connecting, sent;
    char out[HC_OUTPUT_MAX + 1]; size_t outlen;
    int restart_pending;                         /* the workload is being killed because it is unhealthy */
} hc = { .pid = -1, .fd = -1, .period_ms = 30000, .timeout_ms = 30000, .retries = 3, .successes = 1 };

static int hc_int(const struct kv *kv) { char *v = kv_dup(kv); int n = atoi(v); free(v); return n; }

/* hc_* keys of the CONFIG payload. Returns 1 if the key was one of them. */
static int health_take(const struct kv *kv)
{
    if (kv_is(kv, "hc")) {
        hc.kind = kv->vallen && kv->val[0] == 'e' ? HC_EXEC : kv->vallen && kv->val[0] == 'h' ? HC_HTTP
                : kv->vallen && kv->val[0] == 't' ? HC_TCP : HC_NONE;
    } else if (kv_is(kv, "hc_arg")) push(&hc.argv, &hc.argc, kv_dup(kv));
    else if (kv_is(kv, "hc_port")) hc.port = hc_int(kv);
    else if (kv_is(kv, "hc_path")) { free(hc.path); hc.path = kv_dup(kv); }
    else if (kv_is(kv, "hc_period_ms")) hc.period_ms = hc_int(kv);
    else if (kv_is(kv, "hc_timeout_ms")) hc.timeout_ms = hc_int(kv);
    else if (kv_is(kv, "hc_retries")) hc.retries = hc_int(kv);
    else if (kv_is(kv, "hc_successes")) hc.successes = hc_int(kv);
    else if (kv_is(kv, "hc_initial_delay_ms")) hc.initial_ms = hc_int(kv);
    else if (kv_is(kv, "hc_start_period_ms")) hc.start_period_ms = hc_int(kv);
    else if (kv_is(kv, "hc_start_interval_ms")) hc.start_interval_ms = hc_int(kv);
    else if (kv_is(kv, "hc_on_unhealthy")) hc.restart = kv->vallen == 7 && !memcmp(kv->val, "restart", 7);
    else return 0;
    return 1;
}

static const char *health_status_name(void)
{
    if (hc.kind == HC_NONE) return "none";
    return hc.status == HC_HEALTHY ? "healthy" : hc.status == HC_UNHEALTHY ? "unhealthy" : "starting";
}

static int in_start_period(long long now)
{
    return hc.status == HC_STARTING && !hc.start_ended && now < hc.started_ms + hc.start_period_ms;
}

static void health_stop_probe(void)
{
    if (hc.pid > 0) kill(-hc.pid, SIGKILL); /* its own session: sh -c's children go too */
    hc.pid = -1;                             /* reap() collects it as an orphan */
    close_fd(&hc.fd);
    hc.deadline_ms = 0;
}

/* The workload (re)started: probing starts over. */
static void health_workload_started(void)
{
    if (hc.kind == HC_NONE) return;
    health_stop_probe();
    long long now = now_ms();
    hc.status = HC_STARTING;
    hc.failures = 0;
    hc.passes = 0;
    hc.start_ended = 0;
    hc.started_ms = now;
    hc.next_ms = now + hc.initial_ms;
    hc.restart_pending = 0;
    hc.kill_ms = 0;
}

/* The workload ended: no probing until it runs again. Returns 1 if Kestrel killed it for being unhealthy. */
static int health_workload_exited(void)
{
    health_stop_probe();
    hc.next_ms = 0;
    hc.kill_ms = 0;
    int was = hc.restart_pending;
    hc.restart_pending = 0;
    return was;
}

static void health_result(int ok, int code)
{
    long long now = now_ms();
    int counted = !ok && !in_start_period(now);
    enum hc_status before = hc.status;
    if (ok) {
        hc.failures = 0;
        hc.start_ended = 1;
        if (++hc.passes >= hc.successes) hc.status = HC_HEALTHY;
    } else {
        hc.passes = 0;
        if (counted && ++hc.failures >= hc.retries) hc.status = HC_UNHEALTHY;
    }
    hc.out[hc.outlen] = 0;
    char payload[HC_OUTPUT_MAX + 128];
    int n = snprintf(payload, sizeof payload, "status=%s%cresult=%s%cexit=%d%cfailures=%d%cstart_period=%d%coutput=%s",
                     health_status_name(), 0, ok ? "pass" : code == -1 ? "timeout" : "fail", 0, code, 0,
                     hc.failures, 0, in_start_period(now), 0, hc.out);
    frame(T_HEALTH, 0, payload, n < (int)sizeof payload ? (size_t)n : sizeof payload - 1);
    if (before != hc.status) logmsg("health: %s", health_status_name());
    hc.pid = -1;
    close_fd(&hc.fd);
    hc.deadline_ms = 0;
    hc.next_ms = now + (in_start_period(now) && hc.start_interval_ms ? hc.start_interval_ms : hc.period_ms);
    if (hc.status == HC_UNHEALTHY && hc.restart && procs[0].used && !hc.restart_pending && !stopping.active) {
        logmsg("health: restarting the unhealthy workload (pid %d)", procs[0].pid);
        hc.restart_pending = 1;
        kill(-procs[0].pid, SIGTERM);
        kill(procs[0].pid, SIGTERM);
        hc.kill_ms = now + cfg.stop_grace_ms;
        hc.next_ms = 0;
    }
}

static void health_output(const char *text)
{
    size_t n = strlen(text);
    if (n > HC_OUTPUT_MAX - hc.outlen) n = HC_OUTPUT_MAX - hc.outlen;
    memcpy(hc.out + hc.outlen, text, n);
    hc.outlen += n;
}

static void health_start_probe(void)
{
    hc.outlen = 0;
    hc.connecting = hc.sent = 0;
    hc.deadline_ms = now_ms() + hc.timeout_ms;
    if (hc.kind == HC_EXEC) {
        int pipefd[2];
        if (hc.argc == 0 || pipe2(pipefd, O_CLOEXEC)) { health_output("cannot start the probe"); health_result(0, 126); return; }
        struct spec s = cfg.workload; /* env, cwd, user of the workload; argv of the probe */
        s.argv = hc.argv; s.argc = hc.argc; s.tty = 0;
        pid_t pid = fork();
        if (pid == 0) {
            int null = open("/dev/null", O_RDWR | O_CLOEXEC);
            dup2(null, 0); dup2(pipefd[1], 1); dup2(pipefd[1], 2);
            child_exec(&s, NULL);
        }
        close(pipefd[1]);
        if (pid < 0) { close(pipefd[0]); health_output("fork failed"); health_result(0, 126); return; }
        hc.pid = pid;
        hc.fd = pipefd[0];
        set_nonblock(hc.fd);
        return;
    }
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)hc.port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    hc.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (hc.fd < 0) { health_output("socket failed"); health_result(0, 1); return; }
    if (connect(hc.fd, (struct sockaddr *)&sa, sizeof sa) == 0 || errno == EINPROGRESS) { hc.connecting = 1; return; }
    char msg[128];
    snprintf(msg, sizeof msg, "connect 127.0.0.1:%d: %s", hc.port, strerror(errno));
    health_output(msg);
    health_result(0, 1);
}

/* Socket probes: advance on readiness. */
static void health_socket_io(void)
{
    char msg[256];
    if (hc.connecting) {
        int err = 0; socklen_t len = sizeof err;
        struct pollfd pfd = { .fd = hc.fd, .events = POLLOUT };
        if (poll(&pfd, 1, 0) <= 0) return;
        getsockopt(hc.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) { snprintf(msg, sizeof msg, "connect 127.0.0.1:%d: %s", hc.port, strerror(err)); health_output(msg); health_result(0, 1); return; }
        hc.connecting = 0;
        if (hc.kind == HC_TCP) { snprintf(msg, sizeof msg, "connected to 127.0.0.1:%d", hc.port); health_output(msg); health_result(1, 0); return; }
        int n = snprintf(msg, sizeof msg, "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%d\r\nUser-Agent: kestrel-healthcheck\r\nConnection: close\r\n\r\n",
                         hc.path && hc.path[0] ? hc.path : "/", hc.port);
        if (write(hc.fd, msg, (size_t)n) != n) { health_output("cannot send the request"); health_result(0, 1); return; }
        hc.sent = 1;
    }
    for (;;) {
        if (hc.outlen >= HC_OUTPUT_MAX) break;
        ssize_t r = read(hc.fd, hc.out + hc.outlen, HC_OUTPUT_MAX - hc.outlen);
        if (r > 0) { hc.outlen += (size_t)r; if (memchr(hc.out, '\n', hc.outlen)) break; continue; }
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) return; /* wait for more, or the deadline */
        break;
    }
    /* EOF (or output cap): judge by the status line "HTTP/1.x NNN ..." */
    hc.out[hc.outlen] = 0;
    char *eol = strpbrk(hc.out, "\r\n");
    if (eol) { *eol = 0; hc.outlen = (size_t)(eol - hc.out); }
    int code = 0;
    if (sscanf(hc.out, "HTTP/%*d.%*d %d", &code) != 1) code = 0;
    if (!code) { hc.outlen = 0; snprintf(msg, sizeof msg, "GET %s: no HTTP response", hc.path ? hc.path : "/"); health_output(msg); }
    health_result(code >= 200 && code < 400, code >= 200 && code < 400 ? 0 : 1);
}

/* An exec probe ended (reap() found it). */
static int health_reaped(pid_t pid, int status)
{
    if (hc.kind != HC_EXEC || pid != hc.pid) return 0;
    if (hc.fd >= 0) {
        ssize_t r;
        while (hc.outlen < HC_OUTPUT_MAX && (r = read(hc.fd, hc.out + hc.outlen, HC_OUTPUT_MAX - hc.outlen)) > 0) hc.outlen += (size_t)r;
    }
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    int code = sig ? 128 + sig : WEXITSTATUS(status);
    health_result(code == 0, code);
    return 1;
}

/* Called every loop iteration: start due probes, time out hung ones, drain output, escalate a liveness kill. */
static void health_tick(void)
{
    if (hc.kind == HC_NONE || stopping.active) return;
    long long now = now_ms();
    if (hc.kill_ms && now >= hc.kill_ms && procs[0].used) { kill(-procs[0].pid, SIGKILL); kill(procs[0].pid, SIGKILL); hc.kill_ms = 0; }
    if (hc.deadline_ms) {
        if (hc.kind == HC_EXEC && hc.fd >= 0) {
            ssize_t r;
            char sink[512];
            while ((r = read(hc.fd, hc.outlen < HC_OUTPUT_MAX ? hc.out + hc.outlen : sink,
                             hc.outlen < HC_OUTPUT_MAX ? HC_OUTPUT_MAX - hc.outlen : sizeof sink)) > 0)
                if (hc.outlen < HC_OUTPUT_MAX) hc.outlen += (size_t)r; /* beyond the cap: drained, dropped */
            if (r == 0) close_fd(&hc.fd);
        } else if (hc.fd >= 0) health_socket_io();
        if (hc.deadline_ms && now >= hc.deadline_ms) {
            pid_t pid = hc.pid;
            health_stop_probe();
            if (pid > 0) waitpid(pid, NULL, 0); /* SIGKILLed: gone at once */
            char msg[96];
            snprintf(msg, sizeof msg, "%sprobe timed out after %d ms", hc.outlen ? "\n" : "", hc.timeout_ms);
            health_output(msg);
            health_result(0, -1);
        }
        return;
    }
    if (wl.state == WL_RUNNING && procs[0].used && hc.next_ms && now >= hc.next_ms) health_start_probe();
}

/* Poll set and timeout contributions of the health checker. */
static int health_poll(struct pollfd *pfd, int *timeout)
{
    if (hc.kind == HC_NONE || stopping.active) return 0;
    long long now = now_ms(), due = hc.deadline_ms ? hc.deadline_ms : hc.next_ms;
    if (hc.kill_ms && (!due || hc.kill_ms < due)) due = hc.kill_ms;
    if (due) {
        long long left = due - now;
        *timeout = left <= 0 ? 0 : (*timeout < 0 || left < *timeout ? (int)left : *timeout);
    }
    if (hc.deadline_ms && hc.fd >= 0) {
        *pfd = (struct pollfd){ .fd = hc.fd, .events = hc.connecting ? POLLOUT : POLLIN };
        return 1;
    }
    return 0;
}

static void start_workload(void)
{
    struct proc *p = &procs[0];
    free_proc(p);
    p->used = 1;
    p->id = 0;
    if (spawn(&cfg.workload, p, 0) == 0) {
        wl.state = WL_RUNNING;
        wl.started_ms = now_ms();
        logmsg("workload started: %s (pid %d)", cfg.workload.argv[0], p->pid);
        health_workload_started();
    } else {
        char code[8];
        put32(code, 127); put32(code + 4, 0);
        frame(T_EXITED, 0, code, 8);
        free_proc(p);
        wl.state = WL_DONE;
        wl.last_code = 127;
    }
}

static void begin_shutdown(const char *why)
{
    if (stopping.active) return;
    logmsg("powering off: %s", why);
    frame(T_SHUTDOWN, 0, why, strlen(why));
    stopping.active = 1;
    stopping.deadline_ms = now_ms() + cfg.stop_grace_ms;
    kill(-1, SIGTERM); /* everything but PID 1 */
}

/* The workload ended: decide between in-guest restart and poweroff per the restart policy. */
static void workload_exited(int code)
{
    wl.last_code = code;
    int unhealthy = health_workload_exited(); /* liveness: restarted whatever the policy */
    int again = !stopping.active &&
        (unhealthy || cfg.restart == RESTART_ALWAYS || (cfg.restart == RESTART_ON_FAILURE && code != 0));
    if (!again) {
        wl.state = WL_DONE;
        char why[64];
        snprintf(why, sizeof why, "workload exited with code %d", code);
        begin_shutdown(why);
        return;
    }
    if (now_ms() - wl.started_ms > 10000) wl.backoff_ms = 100; /* it ran a while: not a crash loop */
    wl.state = WL_WAITING_RESTART;
    wl.restart_at_ms = now_ms() + wl.backoff_ms;
    logmsg("workload exited with %d, restarting in %lld ms", code, wl.backoff_ms);
    wl.backoff_ms = wl.backoff_ms * 2 > 10000 ? 10000 : wl.backoff_ms * 2;
    wl.restarts++;
}

static void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (health_reaped(pid, status)) continue;
        for (int i = 0; i < MAX_PROCS; i++) {
            struct proc *p = &procs[i];
            if (!p->used || p->pid != pid) continue;
            /* Output written before exit is already in the pipe: drain it before EXITED. */
            while (p->out_fd >= 0 && relay_output(p, &p->out_fd, T_STDOUT) > 0) {}
            while (p->err_fd >= 0 && relay_output(p, &p->err_fd, T_STDERR) > 0) {}
            int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
            int code = sig ? 128 + sig : WEXITSTATUS(status);
            char payload[8];
            put32(payload, (uint32_t)code);
            put32(payload + 4, (uint32_t)sig);
            frame(T_EXITED, p->id, payload, 8);
            uint32_t id = p->id;
            free_proc(p);
            if (i == 0) workload_exited(code);
            else logmsg("exec %u exited with %d", id, code);
        }
    }
}

static struct proc *find_session(uint32_t id)
{
    if (id == 0) return NULL;
    for (int i = 1; i < MAX_PROCS; i++)
        if (procs[i].used && procs[i].id == id) return &procs[i];
    return NULL;
}

static void exec_request(uint32_t id, const char *payload, size_t n)
{
    struct spec s = { 0 };
    const char *p = payload;
    struct kv kv;
    while (kv_next(&p, payload + n, &kv)) spec_take(&s, &kv);
    struct proc *slot = NULL;
    for (int i = 1; i < MAX_PROCS && !slot; i++) if (!procs[i].used) slot = &procs[i];
    const char *err = id == 0 || find_session(id) ? "bad session id" : !slot ? "too many exec sessions"
                    : s.argc == 0 ? "no command" : NULL;
    if (!err) {
        slot->used = 1;
        slot->id = id;
        if (spawn(&s, slot, 1) != 0) { free_proc(slot); err = "spawn failed"; }
    }
    if (err) {
        char code[8];
        put32(code, 127); put32(code + 4, 0);
        frame(T_ERROR, id, err, strlen(err));
        frame(T_EXITED, id, code, 8);
    }
    spec_free(&s);
}

static void signal_target(uint32_t id, int sig)
{
    struct proc *p = id == 0 ? (procs[0].used ? &procs[0] : NULL) : find_session(id);
    if (p && p->pid > 0) kill(p->pid, sig);
}

/* secret=NAME:base64 -> /run/secrets/NAME (tmpfs), 0400, owned by the workload's user. */
static void write_secrets(void)
{
    if (!cfg.nsecrets) return;
    mkdir("/run/secrets", 0755);
    for (int i = 0; i < cfg.nsecrets; i++) {
        char *name = cfg.secrets[i], *colon = strchr(name, ':');
        if (!colon) continue;
        *colon = 0;
        if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
            logmsg("secret: bad name %s", name);
            continue;
        }
        size_t len = strlen(colon + 1);
        char *content = malloc(len + 1), path[320];
        size_t n = base64_decode(colon + 1, len, content);
        snprintf(path, sizeof path, "/run/secrets/%s", name);
        unlink(path);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
        if (fd < 0 || write(fd, content, n) != (ssize_t)n ||
            fchown(fd, cfg.workload.uid, cfg.workload.gid) != 0) logmsg("secret %s: %s", name, strerror(errno));
        if (fd >= 0) close(fd);
        memset(content, 0, len + 1);
        free(content);
        memset(colon + 1, 0, len); /* the file is the copy now */
    }
    /* secret_at=NAME:/path (build VMs: RUN --mount=type=secret,target=/path): the tmpfs file
     * bind-mounted read-only at the path, on an empty file made there if the image has none (the
     * host leaves that stub out of the step's layer), so the content never enters the overlay. */
    for (int i = 0; i < cfg.nsecret_at; i++) {
        char *name = cfg.secret_at[i], *colon = strchr(name, ':'), src[320];
        char *first_slash = strchr(name, '/');
        if (!colon || colon[1] != '/' || (first_slash && first_slash < colon)) { logmsg("secret_at: bad entry %s", name); continue; }
        *colon = 0;
        const char *path = colon + 1;
        snprintf(src, sizeof src, "/run/secrets/%s", name);
        char *dir = strdup(path), *slash = strrchr(dir, '/');
        if (slash && slash != dir) { *slash = 0; mkdir_p(dir); }
        free(dir);
        int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0400);
        if (fd >= 0) close(fd);
        if (mount(src, path, NULL, MS_BIND, NULL) != 0 ||
            mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
            logmsg("secret %s at %s: %s", name, path, strerror(errno));
        *colon = ':';
    }
}

/* Mounts the config's volumes; a volume that cannot be mounted ends the VM with SHUTDOWN
 * "volume: ..." before the workload ever runs (never a partial set of mounts). */
static int volumes_mounted(void)
{
    if (mount_volumes() == 0) return 1;
    char why[sizeof volume_error + 16];
    snprintf(why, sizeof why, "volume: %s", volume_error);
    begin_shutdown(why);
    return 0;
}

/* CONFIG: the workload config, once per boot; Kestrel keeps it for in-guest restarts. */
static void config_received(const char *p, size_t n)
{
    if (cfg.configured) { logmsg("ignoring a second workload config"); return; }
    const char *q = p;
    struct kv kv;
    while (kv_next(&q, p + n, &kv))
        if (!workload_take(&kv)) logmsg("config: ignoring key %.*s", (int)kv.keylen, kv.key);
    cfg.configured = 1;
    write_secrets();
    if (stopping.active || !volumes_mounted()) return;
    if (cfg.workload.argc) start_workload();
    else logmsg("no workload in the config: serving exec only");
}

/* Boot milestones on CLOCK_BOOTTIME (ms since the kernel started), for HELLO (PROTOCOL.md 3). */
static long long boot_init_ms, boot_ready_ms;

static void hello(int at_front)
{
    char payload[320];
    int n = snprintf(payload, sizeof payload, "agent=kestrel/2%cworkload=%s%cpid=%d%cexit=%d%crestarts=%d%cconfig=%s%chealth=%s"
                     "%cboot_init_ms=%lld%cboot_ready_ms=%lld",
                     0, wl.state == WL_RUNNING ? "running" : wl.state == WL_WAITING_RESTART ? "restarting"
                      : wl.state == WL_DONE ? "exited" : "none",
                     0, procs[0].used ? procs[0].pid : 0, 0, wl.last_code, 0, wl.restarts,
                     0, cfg.configured ? "received" : "wanted", 0, health_status_name(), 0, boot_init_ms, 0, boot_ready_ms);
    if (!at_front) { frame(T_HELLO, 0, payload, (size_t)n); return; }
    /* A fresh host connection: drop the unsent tail of a frame the previous client got
     * half of, and put HELLO first so the new client starts on a frame boundary. */
    size_t boundary = ch.frame_start;
    if (ch.out.pos > boundary) boundary += HDR + get32(ch.out.data + boundary);
    struct buf rest = { 0 }, old = ch.out;
    ch.out = (struct buf){ 0 };
    frame(T_HELLO, 0, payload, (size_t)n);
    rest = ch.out;
    buf_append(&rest, old.data + boundary, old.len - boundary);
    free(old.data);
    ch.out = rest;
    ch.frame_start = 0;
}

static void handle_frame(uint8_t type, uint32_t id, const char *p, size_t n)
{
    switch (type) {
    case T_HELLO_REQ: hello(0); break;
    case T_PING: frame(T_PONG, id, p, n); break;
    case T_POWEROFF: begin_shutdown("host requested poweroff"); break;
    case T_EXEC: exec_request(id, p, n); break;
    case T_STDIN: {
        struct proc *s = find_session(id);
        if (s && s->in_fd >= 0) buf_append(&s->in, p, n);
        break;
    }
    case T_STDIN_CLOSE: {
        struct proc *s = find_session(id);
        if (s && s->tty) buf_append(&s->in, "\x04", 1); /* EOF on a terminal is ^D */
        else if (s) s->close_in = 1;
        break;
    }
    case T_RESIZE: {
        struct proc *s = find_session(id);
        if (s && s->tty && n >= 4) {
            struct winsize ws = { .ws_col = (unsigned short)((unsigned char)p[0] << 8 | (unsigned char)p[1]),
                                  .ws_row = (unsigned short)((unsigned char)p[2] << 8 | (unsigned char)p[3]) };
            ioctl(s->out_fd, TIOCSWINSZ, &ws);
        }
        break;
    }
    case T_SIGNAL: if (n >= 4) signal_target(id, (int)get32(p)); break;
    case T_CONFIG: config_received(p, n); break;
    default: logmsg("ignoring frame type 0x%02x", type);
    }
}

static void parse_input(void)
{
    while (buf_pending(&ch.in) >= HDR) {
        const char *h = ch.in.data + ch.in.pos;
        uint32_t n = get32(h);
        if (n > MAX_PAYLOAD) { logmsg("oversized frame from host: resetting input"); buf_clear(&ch.in); return; }
        if (buf_pending(&ch.in) < HDR + n) return;
        handle_frame((uint8_t)h[4], get32(h + 5), h + HDR, n);
        buf_consume(&ch.in, HDR + n);
    }
}

/* ---------- channel discovery and connection state ---------- */
static int find_vport(char *dev, size_t n)
{
    DIR *d = opendir("/sys/class/virtio-ports");
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[300], name[64] = "";
        snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        ssize_t r = read(fd, name, sizeof name - 1);
        close(fd);
        if (r > 0 && strncmp(name, AGENT_PORT_NAME, strlen(AGENT_PORT_NAME)) == 0) {
            snprintf(dev, n, "/dev/%s", e->d_name);
            found = 1;
        }
    }
    if (d) closedir(d);
    return found;
}

static void open_channel(void)
{
    char dev[300];
    /* virtio_console announces the port name shortly after the device appears */
    for (int i = 0; i < 500 && access("/sys/class/virtio-ports", F_OK) == 0 && !find_vport(dev, sizeof dev); i++) usleep(2000);
    if (find_vport(dev, sizeof dev) && wait_for_path(dev, 2000) == 0) {
        ch.fd = open(dev, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (ch.fd >= 0) { ch.is_vport = 1; logmsg("host channel: %s", dev); return; }
        logmsg("open %s: %s", dev, strerror(errno));
    }
    /* cloud-hypervisor hybrid vsock: the host connects to us (CONNECT <port> on its side). */
    int s = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_vm addr = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = AGENT_VSOCK_PORT };
    if (s >= 0 && bind(s, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(s, 4) == 0) {
        ch.listen_fd = s;
        logmsg("host channel: vsock port %d", AGENT_VSOCK_PORT);
        return;
    }
    if (s >= 0) close(s);
    logmsg("no host channel (no %s port, no vsock): console only", AGENT_PORT_NAME);
}

static void host_disconnected(void)
{
    ch.connected = 0;
    buf_clear(&ch.in);
    if (!ch.is_vport) close_fd(&ch.fd);
}

static void host_connected(void)
{
    ch.connected = 1;
    buf_clear(&ch.in);
    hello(1);
}

/* A virtio port reports POLLHUP while no host client is attached; check without blocking. */
static void probe_vport(void)
{
    struct pollfd pfd = { .fd = ch.fd, .events = POLLIN };
    if (poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP)) host_connected();
}

static void channel_io(short revents)
{
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
        ssize_t n = read(ch.fd, buf_reserve(&ch.in, 65536), 65536);
        if (n > 0) { ch.in.len += (size_t)n; parse_input(); }
        else if (n == 0 || (errno != EAGAIN && errno != EINTR) || (revents & POLLHUP)) { host_disconnected(); return; }
    }
    if ((revents & POLLOUT) && buf_pending(&ch.out)) {
        ssize_t n = write(ch.fd, ch.out.data + ch.out.pos, buf_pending(&ch.out));
        if (n > 0) out_written((size_t)n);
        else if (n < 0 && errno != EAGAIN && errno != EINTR) host_disconnected();
    }
}

/* ---------- the end ---------- */
static void flush_channel(int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    while (ch.connected && ch.fd >= 0 && buf_pending(&ch.out) && now_ms() < deadline) {
        struct pollfd pfd = { .fd = ch.fd, .events = POLLOUT };
        if (poll(&pfd, 1, 50) <= 0) continue;
        if (pfd.revents & (POLLHUP | POLLERR)) return;
        ssize_t n = write(ch.fd, ch.out.data + ch.out.pos, buf_pending(&ch.out));
        if (n > 0) out_written((size_t)n);
    }
}

static void finish_shutdown(void)
{
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
    flush_channel(1000);
    sync();
    /* With QEMU's -no-reboot and reboot=t a guest reboot is how the VM ends (microvm's
     * ACPI poweroff only halts). */
    reboot(cfg.halt_poweroff ? RB_POWER_OFF : RB_AUTOBOOT);
    for (;;) pause();
}

/* WNOWAIT: only look; reap() collects exit codes so EXITED frames still go out. */
static int any_child_left(void)
{
    siginfo_t info = { 0 };
    return waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
}

/* Tells the host why the boot cannot go on (SHUTDOWN "<what>: <detail>", PROTOCOL.md 4) and ends the VM. */
static void boot_failed(const char *what, const char *detail)
{
    char why[320];
    int n = snprintf(why, sizeof why, "%s: %s", what, detail);
    if (n >= (int)sizeof why) n = (int)sizeof why - 1;
    frame(T_EXITED, 0, "\0\0\0\x7f\0\0\0\0", 8);
    frame(T_SHUTDOWN, 0, why, (size_t)n);
    open_channel();
    probe_vport();
    flush_channel(2000);
    reboot(cfg.halt_poweroff ? RB_POWER_OFF : RB_AUTOBOOT);
}

/* ---------- main loop ---------- */
int main(void)
{
    if (getpid() != 1) { fprintf(stderr, "kestrel must run as PID 1\n"); return 1; }
    boot_init_ms = now_ms(); /* the kernel just handed over to init */
    for (int i = 0; i < MAX_PROCS; i++) procs[i].in_fd = procs[i].out_fd = procs[i].err_fd = -1;
    mount_api_filesystems();
    logmsg("kestrel starting");
    read_kernel_config();
    load_modules();
    if (mount_rootfs_and_switch() != 0) {
        logmsg("cannot mount the root filesystem: powering off");
        boot_failed("rootfs", rootfs_error);
    }
    mount_extra_disks();
    if (mount_virtiofs_shares() != 0) {
        logmsg("cannot mount a host directory share: powering off");
        boot_failed("share", share_error);
    }
    configure_network();
    configure_identity();

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD); sigaddset(&mask, SIGTERM); sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP); sigaddset(&mask, SIGPWR);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    reboot(RB_DISABLE_CAD); /* Ctrl-Alt-Del arrives as SIGINT instead */
    signal(SIGPIPE, SIG_IGN);

    open_channel();
    boot_ready_ms = now_ms();
    if (cfg.configured && volumes_mounted() && cfg.workload.argc) start_workload(); /* a kestrel/1 host; otherwise CONFIG starts it */

    for (;;) {
        struct pollfd pfds[4 + 3 * MAX_PROCS];
        struct { struct proc *p; int *fd; uint8_t type; } who[3 * MAX_PROCS];
        int n = 0, nw = 0, timeout = -1;
        long long now = now_ms();

        pfds[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
        int ch_idx = -1, listen_idx = -1;
        if (ch.is_vport && !ch.connected) { probe_vport(); if (!ch.connected) timeout = 100; }
        if (ch.fd >= 0 && (ch.connected || !ch.is_vport)) {
            ch_idx = n;
            pfds[n++] = (struct pollfd){ .fd = ch.fd, .events = POLLIN | (buf_pending(&ch.out) ? POLLOUT : 0) };
        }
        if (ch.listen_fd >= 0) { listen_idx = n; pfds[n++] = (struct pollfd){ .fd = ch.listen_fd, .events = POLLIN }; }
        n += health_poll(&pfds[n], &timeout);
        int proc_base = n;
        int room = buf_pending(&ch.out) < HIGH_WATER; /* back-pressure: the workload blocks on write */
        for (int i = 0; i < MAX_PROCS; i++) {
            struct proc *p = &procs[i];
            if (!p->used) continue;
            if (room && p->out_fd >= 0) { who[nw] = (typeof(who[0])){ p, &p->out_fd, T_STDOUT }; pfds[n++] = (struct pollfd){ .fd = p->out_fd, .events = POLLIN }; nw++; }
            if (room && p->err_fd >= 0) { who[nw] = (typeof(who[0])){ p, &p->err_fd, T_STDERR }; pfds[n++] = (struct pollfd){ .fd = p->err_fd, .events = POLLIN }; nw++; }
            if (p->in_fd >= 0 && (buf_pending(&p->in) || p->close_in)) {
                who[nw] = (typeof(who[0])){ p, &p->in_fd, 0 };
                pfds[n++] = (struct pollfd){ .fd = p->in_fd, .events = POLLOUT };
                nw++;
            }
        }
        if (wl.state == WL_WAITING_RESTART) {
            long long left = wl.restart_at_ms - now;
            timeout = left <= 0 ? 0 : (timeout < 0 || left < timeout ? (int)left : timeout);
        }
        if (stopping.active) timeout = timeout < 0 || timeout > 50 ? 50 : timeout;

        int ready = poll(pfds, (nfds_t)n, timeout);
        if (ready < 0 && errno != EINTR) { logmsg("poll: %s", strerror(errno)); usleep(10000); }

        if (pfds[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == sizeof si) {
                if (si.ssi_signo == SIGCHLD) continue; /* reaped below, every iteration */
                if (procs[0].used && !stopping.active) kill(procs[0].pid, (int)si.ssi_signo);
                else if (si.ssi_signo != SIGHUP) begin_shutdown("signal to PID 1 with no workload");
            }
        }
        if (listen_idx >= 0 && (pfds[listen_idx].revents & POLLIN)) {
            int c = accept4(ch.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (c >= 0) { close_fd(&ch.fd); ch.fd = c; host_connected(); ch_idx = -1; /* old revents are stale */ }
        }
        for (int i = proc_base; i < n; i++) {
            int j = i - proc_base;
            short re = pfds[i].revents;
            if (!re || *who[j].fd < 0) continue;
            struct proc *p = who[j].p;
            if (who[j].type) { relay_output(p, who[j].fd, who[j].type); continue; }
            if (buf_pending(&p->in)) {
                ssize_t w = write(p->in_fd, p->in.data + p->in.pos, buf_pending(&p->in));
                if (w > 0) buf_consume(&p->in, (size_t)w);
                else if (w < 0 && errno != EAGAIN) { buf_clear(&p->in); p->close_in = 1; }
            }
            if (!buf_pending(&p->in) && p->close_in && !p->tty) close_fd(&p->in_fd);
        }
        reap();
        health_tick();
        if (ch_idx >= 0 && pfds[ch_idx].revents) channel_io(pfds[ch_idx].revents);
        else if (ch.connected && buf_pending(&ch.out)) channel_io(POLLOUT); /* output produced this round */

        if (wl.state == WL_WAITING_RESTART && !stopping.active && now_ms() >= wl.restart_at_ms) start_workload();
        if (stopping.active && (!any_child_left() || now_ms() >= stopping.deadline_ms)) finish_shutdown();
    }
}
