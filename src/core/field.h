/*
 * field.h - formatting field values and finding fields by abbreviation.
 *
 * Two renderings of a node's value:
 *  - display ("Source Port: 443", "Type: IPv4 (0x0800)") for the tree pane
 *    and -V, and
 *  - field text as `tshark -T fields` prints it ("443", "0x0800",
 *    "1700000000.123456789"), so scripts written for tshark work unchanged.
 * Both escape bytes that came from input.
 */
#ifndef TW_FIELD_H
#define TW_FIELD_H

#include "core/str.h"
#include "core/tree.h"

/* Value name from a { 0, NULL }-terminated table, or NULL. */
const char *val_to_str(uint32_t v, const struct tw_valstr *vals);
/* Value name or "Unknown (0x%x)" into a caller buffer. */
const char *val_to_str_unk(uint32_t v, const struct tw_valstr *vals, char *buf, size_t cap);

/* The node's value shifted down by its field mask. */
uint64_t field_value(const struct tw_node *n);

/* "Name: value" or the node's custom label. */
void field_format_label(struct tw_sb *sb, const struct tw_node *n);
/* Just the value, display style ("IPv4 (0x0800)"). */
void field_format_display(struct tw_sb *sb, const struct tw_node *n);
/* Just the value, tshark -T fields style. */
void field_format_fields(struct tw_sb *sb, const struct tw_node *n);

/* Every registered field with this abbreviation's descriptor, or NULL.
 * Several dissectors may register the same abbreviation (tshark does too);
 * field_lookup returns the first and field_same_abbrev compares names. */
const struct tw_field *field_lookup(const char *abbrev);
bool field_same_abbrev(const struct tw_field *a, const struct tw_field *b);
/* Iterate all fields: returns the i-th field or NULL past the end. */
const struct tw_field *field_nth(size_t i);
/* Build the registry now (else the first lookup does): before threads look fields up. */
void field_registry_init(void);

/* Time formatting helpers shared by printers. */
void fmt_abs_time(struct tw_sb *sb, tw_time t, bool utc, bool date, int digits);
void fmt_rel_time(struct tw_sb *sb, tw_time d, int digits);
void fmt_ipv4(struct tw_sb *sb, uint32_t a);
void fmt_ipv6(struct tw_sb *sb, const uint8_t a[16]);
void fmt_ether(struct tw_sb *sb, const uint8_t a[6]);

#endif
