/*
 * keymap.c - bindings, key names and the default keymap (as config text).
 */
#include "ui/keymap.h"

#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct ui_action_info ui_actions[ACT_COUNT_] = {
	[ACT_NONE] = { "none", "", "" },
#define ACT_ROW(id, name, group, help) [ACT_##id] = { name, group, help },
	ACTION_INFO(ACT_ROW)
#undef ACT_ROW
};

/*
 * vim/less habits first: `?` searches backward as in less and vim; help is
 * F1 and H (less binds h and H to help; our h is vim's "left": scroll the
 * list, collapse in the tree). Shift reverses, as in n/N, e/E, w/W: ' next
 * mark, " previous mark.
 */
const char keymap_defaults[] =
	"bind generic q quit\n"
	"bind generic H help\n"
	"bind generic F1 help\n"
	"bind generic C-l redraw\n"
	"bind generic j move-down\n"
	"bind generic Down move-down\n"
	"bind generic k move-up\n"
	"bind generic Up move-up\n"
	"bind generic PgDn page-down\n"
	"bind generic Space page-down\n"
	"bind generic C-f page-down\n"
	"bind generic PgUp page-up\n"
	"bind generic C-b page-up\n"
	"bind generic g first\n"
	"bind generic Home first\n"
	"bind generic G last\n"
	"bind generic End last\n"
	"bind generic : goto\n"
	"bind generic Tab next-pane\n"
	"bind generic S-Tab prev-pane\n"
	"bind generic ] next-tab\n"
	"bind generic z zoom\n"
	"bind generic + split-grow\n"
	"bind generic - split-shrink\n"
	"bind generic L toggle-layout\n"
	"bind generic e next-error\n"
	"bind generic E prev-error\n"
	"bind generic w next-warning\n"
	"bind generic W prev-warning\n"
	"bind generic c correlated\n"
	"bind generic s stream-only\n"
	"bind generic S follow-stream\n"
	"bind generic / search\n"
	"bind generic ? search-back\n"
	"bind generic C-r search-back\n"
	"bind generic n search-next\n"
	"bind generic N search-prev\n"
	"bind generic f filter\n"
	"bind generic t time-format\n"
	"bind generic r set-reference\n"
	"bind generic m mark\n"
	"bind generic ' next-mark\n"
	"bind generic \" prev-mark\n"
	"bind generic ! warnings\n"
	"bind list Left scroll-left\n"
	"bind list h scroll-left\n"
	"bind list Right scroll-right\n"
	"bind list l scroll-right\n"
	"bind list Enter next-pane\n"
	"bind tree Enter toggle\n"
	"bind tree Right expand\n"
	"bind tree l expand\n"
	"bind tree Left collapse\n"
	"bind tree h collapse\n"
	"bind tree * expand-subtree\n"
	"bind tree x expand-all\n"
	"bind tree X collapse-all\n"
	"bind side Right next-source\n"
	"bind side Left next-source\n";

static struct ui_binding *binds;
static size_t nbinds, capbinds;

static const char *const km_names[KM_COUNT_] = { "generic", "list", "tree", "side" };

const char *
keymap_name(int km)
{
	return km >= 0 && km < KM_COUNT_ ? km_names[km] : "?";
}

static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "Enter", KEY_FN_BASE + KEY_ENTER }, /* also \n and \r, see keymap_lookup */
	{ "Tab", '\t' },
	{ "S-Tab", KEY_FN_BASE + KEY_BTAB },
	{ "Esc", 27 },
	{ "Space", ' ' },
	{ "Backspace", KEY_FN_BASE + KEY_BACKSPACE },
	{ "Up", KEY_FN_BASE + KEY_UP },
	{ "Down", KEY_FN_BASE + KEY_DOWN },
	{ "Left", KEY_FN_BASE + KEY_LEFT },
	{ "Right", KEY_FN_BASE + KEY_RIGHT },
	{ "PgUp", KEY_FN_BASE + KEY_PPAGE },
	{ "PgDn", KEY_FN_BASE + KEY_NPAGE },
	{ "Home", KEY_FN_BASE + KEY_HOME },
	{ "End", KEY_FN_BASE + KEY_END },
	{ "Del", KEY_FN_BASE + KEY_DC },
};

bool
keymap_parse_key(const char *s, int *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(named_keys); i++)
		if (strcasecmp(s, named_keys[i].name) == 0) {
			*key = named_keys[i].key;
			return true;
		}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		int n = atoi(s + 1);
		if (n >= 1 && n <= 12) {
			*key = KEY_FN_BASE + KEY_F(n);
			return true;
		}
	}
	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-' && s[2] && !s[3]) {
		char c = s[2];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < '@' || c > '_')
			return false;
		*key = c - '@';
		return true;
	}
	/* One character (UTF-8). */
	const unsigned char *u = (const unsigned char *)s;
	size_t l = strlen(s);
	if (l == 1 && u[0] > 0x20 && u[0] < 0x7f) {
		*key = u[0];
		return true;
	}
	uint32_t cp;
	/* A character that is shown as itself (no C1 control, bidi override, ...). */
	if (l >= 2 && l <= 4 && tw_utf8_seq(u, l, &cp) == l && tw_is_display_safe(u, l)) {
		*key = (int)cp;
		return true;
	}
	return false;
}

void
keymap_key_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(named_keys); i++)
		if (named_keys[i].key == key) {
			snprintf(buf, n, "%s", named_keys[i].name);
			return;
		}
	if (key >= KEY_FN_BASE + KEY_F(1) && key <= KEY_FN_BASE + KEY_F(12)) {
		snprintf(buf, n, "F%d", key - KEY_FN_BASE - KEY_F(0));
		return;
	}
	if (key > 0 && key < 0x20) {
		/* C-a .. C-z in lower case; C-@, C-[, C-\, C-], C-^, C-_ as they are. */
		char ch = (char)(key + '@');
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		snprintf(buf, n, "C-%c", ch);
		return;
	}
	if (key >= 0x20 && key < 0x7f) {
		snprintf(buf, n, "%c", (char)key);
		return;
	}
	unsigned c = (unsigned)key;
	if (c >= 0x80 && c < 0x110000 && key < KEY_FN_BASE) { /* the character itself, in UTF-8 */
		char u[5] = { 0 };
		if (c < 0x800) {
			u[0] = (char)(0xc0 | (c >> 6));
			u[1] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			u[0] = (char)(0xe0 | (c >> 12));
			u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (char)(0x80 | (c & 0x3f));
		} else {
			u[0] = (char)(0xf0 | (c >> 18));
			u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (char)(0x80 | (c & 0x3f));
		}
		snprintf(buf, n, "%s", u);
		return;
	}
	snprintf(buf, n, "key-%d", key);
}

static int
action_by_name(const char *s)
{
	for (int i = 1; i < ACT_COUNT_; i++)
		if (strcmp(ui_actions[i].name, s) == 0)
			return i;
	return -1;
}

static int
keymap_by_name(const char *s)
{
	for (int i = 0; i < KM_COUNT_; i++)
		if (strcmp(km_names[i], s) == 0)
			return i;
	return -1;
}

static void
unbind(int km, int key)
{
	for (size_t i = 0; i < nbinds; i++)
		if (binds[i].keymap == km && binds[i].key == key) {
			memmove(&binds[i], &binds[i + 1], (nbinds - i - 1) * sizeof *binds);
			nbinds--;
			return;
		}
}

/* A word of the input for an error message: escaped (it may hold controls). */
static const char *
word(char *dst, size_t cap, const char *s)
{
	tw_escape(dst, cap, s, strlen(s));
	return dst;
}

bool
keymap_line(const char *line, char *err, size_t errlen)
{
	char w[4][64], e1[264];
	int nw = sscanf(line, "%63s %63s %63s %63s", w[0], w[1], w[2], w[3]);
	if (nw <= 0 || w[0][0] == '#')
		return true;
	bool isbind = strcmp(w[0], "bind") == 0;
	if (!isbind && strcmp(w[0], "unbind") != 0) {
		snprintf(err, errlen, "unknown command '%s' (bind, unbind)", word(e1, sizeof e1, w[0]));
		return false;
	}
	if (nw != (isbind ? 4 : 3)) {
		snprintf(err, errlen, isbind ? "usage: bind KEYMAP KEY ACTION" : "usage: unbind KEYMAP KEY");
		return false;
	}
	int km = keymap_by_name(w[1]);
	if (km < 0) {
		snprintf(err, errlen, "unknown keymap '%s' (generic, list, tree, side)", word(e1, sizeof e1, w[1]));
		return false;
	}
	int key;
	if (!keymap_parse_key(w[2], &key)) {
		snprintf(err, errlen, "unknown key '%s'", word(e1, sizeof e1, w[2]));
		return false;
	}
	unbind(km, key);
	if (!isbind)
		return true;
	int act = action_by_name(w[3]);
	if (act < 0) {
		snprintf(err, errlen, "unknown action '%s'", word(e1, sizeof e1, w[3]));
		return false;
	}
	if (nbinds == capbinds) {
		capbinds = capbinds ? capbinds * 2 : 64;
		binds = xreallocarray(binds, capbinds, sizeof *binds);
	}
	binds[nbinds++] = (struct ui_binding){ km, key, act };
	return true;
}

void
keymap_free(void)
{
	free(binds);
	binds = NULL;
	nbinds = capbinds = 0;
}

void
keymap_init(void)
{
	keymap_free();
	const char *p = keymap_defaults;
	char line[256], err[128];
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof line, "%.*s", (int)l, p);
		if (!keymap_line(line, err, sizeof err))
			abort(); /* the defaults are wrong: a programming error */
		p += l + (nl ? 1 : 0);
	}
}

int
keymap_lookup(int km, int key)
{
	if (key == '\n' || key == '\r')
		key = KEY_FN_BASE + KEY_ENTER;
	if (key == 127 || key == 8)
		key = KEY_FN_BASE + KEY_BACKSPACE;
	for (size_t i = 0; i < nbinds; i++)
		if (binds[i].keymap == km && binds[i].key == key)
			return binds[i].action;
	for (size_t i = 0; i < nbinds; i++)
		if (binds[i].keymap == KM_GENERIC && binds[i].key == key)
			return binds[i].action;
	return ACT_NONE;
}

const struct ui_binding *
keymap_nth(size_t i)
{
	return i < nbinds ? &binds[i] : NULL;
}

int
keymap_key_for(int action)
{
	for (int km = 0; km < KM_COUNT_; km++)
		for (size_t i = 0; i < nbinds; i++)
			if (binds[i].keymap == km && binds[i].action == action)
				return binds[i].key;
	return -1;
}

/*
 * Binding lines held in memory, cut into lines as keymap_init cuts the
 * defaults. For the fuzz harness (tests/fuzz/fuzz_ui.c) and tests.
 */
bool
keymap_load_buf(const char *buf, size_t len, char *err, size_t errlen)
{
	const char *end = memchr(buf, 0, len);
	if (end)
		len = (size_t)(end - buf);
	char line[256], e[128];
	unsigned lineno = 0;
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t l = nl ? (size_t)(nl - buf) : len;
		snprintf(line, sizeof line, "%.*s", (int)(l < sizeof line ? l : sizeof line - 1), buf);
		lineno++;
		if (!keymap_line(line, e, sizeof e)) {
			snprintf(err, errlen, "line %u: %s", lineno, e);
			return false;
		}
		l += nl ? 1 : 0;
		buf += l;
		len -= l;
	}
	return true;
}
