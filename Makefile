# tracewb - hand-written GNU make (tig style). Objects go to build/ (or
# build/asan for the sanitizer build), mirroring src/.
#
#   make            build build/tracewb
#   make run        install missing build dependencies, build, open the sample
#   make check      install missing dependencies, then every test, twice:
#                   normal build and AddressSanitizer+UBSan build
#   make tsan       ThreadSanitizer build and run of the threaded print pass
#                   (also the last step of make check)
#   make bench      benchmark against tshark (not a test)
#   make fuzz       libFuzzer harnesses (tests/fuzz/), FUZZ_SECONDS (60) each (clang)
#   make deps       install missing build dependencies (apt-get)
#   make install    PREFIX=/usr/local DESTDIR=
#   V=1             show the commands

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/tracewb
CC      ?= cc
PKG_CONFIG ?= pkg-config
BUILD   ?= normal

ifeq ($(BUILD),asan)
O := build/asan
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT := -O1 -g
else ifeq ($(BUILD),tsan)
# ThreadSanitizer build (make tsan): the parallel print pass.
O := build/tsan
SAN := -fsanitize=thread -fno-omit-frame-pointer
OPT := -O1 -g
else ifeq ($(BUILD),fuzz)
# libFuzzer build (make fuzz): clang, the harnesses get -fsanitize=fuzzer.
O := build/libfuzzer
SAN := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT := -O1 -g
else
O := build
SAN :=
OPT := -O2 -g
endif

PKGS      := libpcap ncursesw jansson libcrypto
CORE_PKGS := libpcap jansson libcrypto
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wpointer-arith -Wundef -Wvla -Wno-format-nonliteral
CFLAGS ?= $(OPT)
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(SAN) -Isrc -MMD -MP \
              $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
CORE_LIBS := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null)
ALL_LIBS  := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
LDFLAGS ?=
ALL_LDFLAGS := $(SAN) -pthread $(LDFLAGS)

ifeq ($(V),1)
Q :=
else
Q := @
endif

CORE_SRC  := $(wildcard src/core/*.c src/core/dissect/*.c)
MERGE_SRC := $(wildcard src/merge/*.c)
UI_SRC    := $(wildcard src/ui/*.c)
MAIN_SRC  := src/main.c
TEST_SRC  := $(wildcard tests/test_*.c)

CORE_OBJ  := $(CORE_SRC:%.c=$(O)/%.o)
MERGE_OBJ := $(MERGE_SRC:%.c=$(O)/%.o)
UI_OBJ    := $(UI_SRC:%.c=$(O)/%.o)
MAIN_OBJ  := $(MAIN_SRC:%.c=$(O)/%.o)
TEST_BIN  := $(TEST_SRC:tests/%.c=$(O)/tests/%)

BIN := $(O)/tracewb
LIBCORE := $(O)/libtwcore.a
LIBMERGE := $(O)/libtwmerge.a

.PHONY: all run check unit bench deps install uninstall clean check-layering fuzz fuzz-build tsan
.DEFAULT_GOAL := all

all: $(BIN)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBCORE): $(CORE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBMERGE): $(MERGE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(UI_OBJ) $(LIBMERGE) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(MAIN_OBJ) $(UI_OBJ) $(LIBMERGE) $(LIBCORE) $(ALL_LIBS)

# Unit tests link the core and merge libraries only: no ncurses, so a
# layering leak breaks the build.
$(O)/tests/%: tests/%.c $(LIBMERGE) $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MF $@.d $(ALL_LDFLAGS) -Itests -o $@ $< $(LIBMERGE) $(LIBCORE) $(CORE_LIBS) $(TEST_LIBS)

# The UI's pure layout function is tested alone: no curses, no core.
$(O)/tests/test_layout: tests/test_layout.c src/ui/layout.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MF $@.d $(ALL_LDFLAGS) -Itests -o $@ $^ $(TEST_LIBS)

# The list's column settings are pure too (the core library: errors escape the words they quote).
$(O)/tests/test_columns: tests/test_columns.c src/ui/columns.c $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MF $@.d $(ALL_LDFLAGS) -Itests -o $@ $^ $(TEST_LIBS)

# Themes: parsing and the colour-mode decisions; curses is linked for its
# attribute constants and pair calls, but no terminal is opened.
$(O)/tests/test_theme: tests/test_theme.c src/ui/theme.c $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MF $@.d $(ALL_LDFLAGS) -Itests -o $@ $^ $(CORE_LIBS) $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null) $(TEST_LIBS)

# The keymap uses curses' KEY_* constants only: no curses library linked.
$(O)/tests/test_keymap: tests/test_keymap.c src/ui/keymap.c $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MF $@.d $(ALL_LDFLAGS) -Itests -o $@ $^ $(CORE_LIBS) $(TEST_LIBS)

unit: $(TEST_BIN) $(BIN)

# Fuzz harnesses (tests/fuzz/): libFuzzer binaries in the fuzz build,
# standalone replayers (tests/fuzz/standalone.c main) in the others, which
# tests/cli/regress.sh runs on tests/data/regress/ and the seed corpora.
FUZZ_DISSECT := frame eth ipv4 ipv6 tcp udp icmp icmpv6 arp dns dns_tcp http tls
FUZZ_OTHER   := capture events pkix filter
FUZZ_UI      := theme keymap config
FUZZ_NAMES   := $(FUZZ_DISSECT) $(FUZZ_OTHER) $(FUZZ_UI)
FUZZ_BIN     := $(FUZZ_NAMES:%=$(O)/fuzz/fuzz_%)
ifeq ($(BUILD),fuzz)
FUZZ_MAIN :=
FUZZ_LINK := -fsanitize=fuzzer
else
FUZZ_MAIN := tests/fuzz/standalone.c
FUZZ_LINK :=
endif
$(FUZZ_DISSECT:%=$(O)/fuzz/fuzz_%): $(O)/fuzz/fuzz_%: tests/fuzz/fuzz_dissect.c $(FUZZ_MAIN) $(LIBMERGE) $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ-CC $@")
	$(Q)$(CC) $(ALL_CFLAGS) -DFUZZ_TARGET_$* -MF $@.d $(ALL_LDFLAGS) $(FUZZ_LINK) -o $@ $< $(FUZZ_MAIN) $(LIBMERGE) $(LIBCORE) $(CORE_LIBS)
$(FUZZ_OTHER:%=$(O)/fuzz/fuzz_%): $(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_MAIN) $(LIBMERGE) $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ-CC $@")
	$(Q)$(CC) $(ALL_CFLAGS) -MF $@.d $(ALL_LDFLAGS) $(FUZZ_LINK) -o $@ $< $(FUZZ_MAIN) $(LIBMERGE) $(LIBCORE) $(CORE_LIBS)
# The workbench's parsers (theme, keymap, config file) link the UI objects.
$(FUZZ_UI:%=$(O)/fuzz/fuzz_%): $(O)/fuzz/fuzz_%: tests/fuzz/fuzz_ui.c $(FUZZ_MAIN) $(UI_OBJ) $(LIBMERGE) $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ-CC $@")
	$(Q)$(CC) $(ALL_CFLAGS) -DFUZZ_TARGET_$* -MF $@.d $(ALL_LDFLAGS) $(FUZZ_LINK) -o $@ $< $(FUZZ_MAIN) $(UI_OBJ) $(LIBMERGE) $(LIBCORE) $(ALL_LIBS)
unit: $(FUZZ_BIN)
fuzz-build: $(FUZZ_BIN)

# make fuzz: every harness for FUZZ_SECONDS each (20 targets, 60 s default:
# about 20 minutes); fails on any crash, sanitizer report, leak or timeout.
# make fuzz FUZZ_SECONDS=3600 for a long run; FUZZ_TARGETS='filter theme'
# for some targets only.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)
fuzz:
	@$(MAKE) --no-print-directory BUILD=fuzz CC=clang CFLAGS='-O1 -g -Wno-error' fuzz-build
	@tests/fuzz/run.sh build/libfuzzer/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

deps:
	@scripts/deps.sh --install

# Nothing in core or merge may know about the terminal.
check-layering:
	@if grep -rlE '#include *[<"](n?curses|ui/)' src/core src/merge; then \
		echo "layering: core/merge must not include curses or ui headers"; exit 1; fi

run: 
	@scripts/deps.sh --install
	@$(MAKE) --no-print-directory all
	$(BIN) $(RUN_ARGS)

RUN_ARGS ?= $(shell cat samples/DEMO 2>/dev/null || echo samples/http-ooo.pcap)

check:
	@scripts/deps.sh --install --with-tests
	@$(MAKE) --no-print-directory check-layering
	@$(MAKE) --no-print-directory BUILD=normal unit
	@$(MAKE) --no-print-directory BUILD=asan unit
	@tests/run-all.sh build build/asan
	@$(MAKE) --no-print-directory tsan

# ThreadSanitizer over the threaded print pass (tests/tsan.sh); skipped, and
# said so, only when the compiler cannot build with -fsanitize=thread.
tsan:
	@if printf 'int main(void){return 0;}\n' | $(CC) -fsanitize=thread -x c - -o /dev/null 2>/dev/null; then \
		$(MAKE) --no-print-directory BUILD=tsan build/tsan/tracewb && tests/tsan.sh build/tsan/tracewb; \
	else echo "tsan: SKIPPED: $(CC) cannot build with -fsanitize=thread (install libtsan)"; fi

bench: all
	@scripts/deps.sh --install --with-bench
	@bench/run.sh $(BIN)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/themes
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/tracewb
	install -m 0644 doc/tracewb.1 $(DESTDIR)$(MANDIR)/man1/tracewb.1
	$(if $(wildcard themes/*.theme),install -m 0644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tracewb $(DESTDIR)$(MANDIR)/man1/tracewb.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

-include $(CORE_OBJ:.o=.d) $(MERGE_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_BIN:=.d)
-include $(FUZZ_BIN:=.d)
