/* The settings parity vectors (tests/vectors/settings.json, issue 17 item 4) through the C ABI:
 * each case's options through the timadmin_client_options_set_* setters and
 * timadmin_client_new, or its TIM_* variables through setenv and timadmin_client_new_from_env;
 * then timadmin_client_settings_json must be the expected effective settings (numbers compared
 * as numbers) or the build must be refused with TIMADMIN_STATUS_INVALID_ARGUMENT naming the
 * expected field. No case makes a network call. Cases needing a setting C cannot express
 * (async_usersig_provider) are skipped by name and counted. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <stdbool.h>
#include <stdint.h>

#include "common.h"

enum op_kind { OP_U64, OP_U32, OP_DOUBLE, OP_BOOL, OP_STRING, OP_RATE_LIMIT_OFF, OP_FALLBACK, OP_PROVIDER };
typedef struct {
    const char *setting;
    enum op_kind kind;
    const char *text;
    double number;
} settings_op;
enum want_type { WANT_NULL, WANT_STRING, WANT_NUMBER, WANT_BOOL };
typedef struct {
    const char *key;
    enum want_type type;
    const char *text;
    double number;
} settings_want;
typedef struct {
    const char *name;
    bool env;
    const settings_op *ops;
    size_t ops_len;
    const char *const *vars; /* name, value pairs */
    size_t vars_len;
    const settings_want *want;
    size_t want_len;
    const char *error_field;
    const char *needs;
} settings_case;

#include "settings_vectors.h"

/* A provider that hands out the UserSig in userdata (never called: nothing is sent). */
static bool fixed_provider(void *userdata, timadmin_usersig_sink *sink) {
    return timadmin_usersig_sink_set(sink, userdata, NULL) == TIMADMIN_STATUS_OK;
}

/* Applies one option through its setter. */
static timadmin_status apply(timadmin_client_options *o, const settings_op *op, timadmin_error **err) {
    const char *s = op->setting;
    switch (op->kind) {
    case OP_U64: {
        uint64_t v = strtoull(op->text, NULL, 10);
        if (strcmp(s, "sdkappid") == 0) return timadmin_client_options_set_sdkappid(o, v, err);
        if (strcmp(s, "max_response_bytes") == 0) return timadmin_client_options_set_max_response_bytes(o, v, err);
        break;
    }
    case OP_U32: {
        uint32_t v = (uint32_t)strtoul(op->text, NULL, 10);
        if (strcmp(s, "max_retries") == 0) return timadmin_client_options_set_max_retries(o, v, err);
        if (strcmp(s, "max_in_flight") == 0) return timadmin_client_options_set_max_in_flight(o, v, err);
        if (strcmp(s, "fleet_size") == 0) return timadmin_client_options_set_fleet_size(o, v, err);
        break;
    }
    case OP_DOUBLE:
        if (strcmp(s, "timeout") == 0) return timadmin_client_options_set_timeout(o, op->number, err);
        if (strcmp(s, "rate_limit") == 0) return timadmin_client_options_set_rate_limit(o, op->number, err);
        if (strcmp(s, "usersig_lifetime") == 0) return timadmin_client_options_set_usersig_lifetime(o, op->number, err);
        break;
    case OP_BOOL:
        if (strcmp(s, "allow_insecure_http") == 0)
            return timadmin_client_options_set_allow_insecure_http(o, op->number != 0, err);
        break;
    case OP_STRING:
        if (strcmp(s, "secret_key") == 0) return timadmin_client_options_set_secret_key(o, op->text, err);
        if (strcmp(s, "usersig") == 0) return timadmin_client_options_set_usersig(o, op->text, err);
        if (strcmp(s, "identifier") == 0) return timadmin_client_options_set_identifier(o, op->text, err);
        if (strcmp(s, "region") == 0) return timadmin_client_options_set_region(o, op->text, err);
        if (strcmp(s, "base_url") == 0) return timadmin_client_options_set_base_url(o, op->text, err);
        if (strcmp(s, "rate_limit_redis_url") == 0)
            return timadmin_client_options_set_rate_limit_redis_url(o, op->text, err);
        break;
    case OP_RATE_LIMIT_OFF:
        return timadmin_client_options_set_rate_limit_off(o, err);
    case OP_FALLBACK:
        return timadmin_client_options_set_redis_fallback(
            o, strcmp(op->text, "fail") == 0 ? TIMADMIN_REDIS_FALLBACK_FAIL : TIMADMIN_REDIS_FALLBACK_LOCAL_SHARE, err);
    case OP_PROVIDER:
        return timadmin_client_options_set_usersig_provider(o, fixed_provider, (void *)op->text, err);
    }
    fprintf(stderr, "test_settings has no setter call for %s\n", s);
    exit(2);
}

/* ---- a reader for the flat JSON object timadmin_client_settings_json writes ---- */
typedef struct {
    char key[64];
    enum want_type type;
    char text[256];
    double number;
} json_field;

static const char *skip_ws(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++;
    return p;
}

/* A JSON string at *p (after its opening quote) into out; false when malformed. */
static bool read_string(const char **p, char *out, size_t cap) {
    size_t n = 0;
    const char *q = *p;
    while (*q != '"') {
        char c = *q++;
        if (c == '\0') return false;
        if (c == '\\') {
            char e = *q++;
            switch (e) {
            case '"': case '\\': case '/': c = e; break;
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                char hex[5] = {0};
                for (int i = 0; i < 4; i++) {
                    if (q[i] == '\0') return false;
                    hex[i] = q[i];
                }
                q += 4;
                long code = strtol(hex, NULL, 16);
                if (code >= 0x80) return false; /* settings are ASCII here */
                c = (char)code;
                break;
            }
            default: return false;
            }
        }
        if (n + 1 >= cap) return false;
        out[n++] = c;
    }
    out[n] = '\0';
    *p = q + 1;
    return true;
}

/* Parses `{"key": scalar, ...}`; returns the number of fields, or -1 when malformed. */
static int parse_flat_object(const char *json, json_field *fields, int cap) {
    const char *p = skip_ws(json);
    int n = 0;
    if (*p++ != '{') return -1;
    p = skip_ws(p);
    if (*p == '}') return 0;
    for (;;) {
        if (n == cap || *p++ != '"' || !read_string(&p, fields[n].key, sizeof fields[n].key)) return -1;
        p = skip_ws(p);
        if (*p++ != ':') return -1;
        p = skip_ws(p);
        json_field *f = &fields[n];
        f->text[0] = '\0';
        f->number = 0;
        if (*p == '"') {
            p++;
            f->type = WANT_STRING;
            if (!read_string(&p, f->text, sizeof f->text)) return -1;
        } else if (strncmp(p, "null", 4) == 0) {
            f->type = WANT_NULL;
            p += 4;
        } else if (strncmp(p, "true", 4) == 0) {
            f->type = WANT_BOOL;
            f->number = 1;
            p += 4;
        } else if (strncmp(p, "false", 5) == 0) {
            f->type = WANT_BOOL;
            p += 5;
        } else {
            char *end = NULL;
            f->type = WANT_NUMBER;
            f->number = strtod(p, &end);
            if (end == p) return -1;
            p = end;
        }
        n++;
        p = skip_ws(p);
        if (*p == '}') return n;
        if (*p++ != ',') return -1;
        p = skip_ws(p);
    }
}

/* Compares the client's effective settings with the case's; prints what differs. */
static bool same_settings(const settings_case *c, const char *json) {
    json_field fields[64];
    int n = parse_flat_object(json, fields, 64);
    if (n < 0) {
        fprintf(stderr, "%s: not a flat JSON object: %s\n", c->name, json);
        return false;
    }
    bool ok = (size_t)n == c->want_len;
    if (!ok) fprintf(stderr, "%s: %d settings shown, %zu expected: %s\n", c->name, n, c->want_len, json);
    for (size_t i = 0; i < c->want_len; i++) {
        const settings_want *w = &c->want[i];
        const json_field *f = NULL;
        for (int j = 0; j < n; j++) {
            if (strcmp(fields[j].key, w->key) == 0) f = &fields[j];
        }
        bool match = f != NULL && f->type == w->type &&
                     (w->type == WANT_STRING ? strcmp(f->text, w->text) == 0
                                             : w->type == WANT_NULL || f->number == w->number);
        if (!match) {
            fprintf(stderr, "%s: %s differs: %s\n", c->name, w->key, json);
            ok = false;
        }
    }
    return ok;
}

/* Builds the case's client: from setters, or from the environment. */
static timadmin_status build(const settings_case *c, timadmin_client **client, timadmin_error **err) {
    if (c->env) {
        for (size_t i = 0; i < sizeof SETTINGS_VARIABLES / sizeof SETTINGS_VARIABLES[0]; i++) {
            unsetenv(SETTINGS_VARIABLES[i]);
        }
        for (size_t i = 0; i < c->vars_len; i++) {
            setenv(c->vars[2 * i], c->vars[2 * i + 1], 1);
        }
        return timadmin_client_new_from_env(client, err);
    }
    timadmin_client_options *o = timadmin_client_options_new();
    timadmin_status st = TIMADMIN_STATUS_OK;
    for (size_t i = 0; i < c->ops_len && st == TIMADMIN_STATUS_OK; i++) {
        st = apply(o, &c->ops[i], err);
    }
    if (st == TIMADMIN_STATUS_OK) {
        st = timadmin_client_new(o, client, err);
    }
    timadmin_client_options_free(o);
    return st;
}

int main(void) {
    /* test.sh runs every program with the emulator's TIM_* variables: start from none. */
    const char *all[] = {"TIM_SDKAPPID", "TIM_SECRET_KEY", "TIM_USERSIG", "TIM_IDENTIFIER", "TIM_REGION",
                         "TIM_BASE_URL", "TIM_TIMEOUT", "TIM_MAX_RETRIES", "TIM_RATE_LIMIT",
                         "TIM_USERSIG_LIFETIME", "TIM_MAX_RESPONSE_BYTES", "TIM_ALLOW_INSECURE_HTTP",
                         "TIM_MAX_IN_FLIGHT", "TIM_RATE_LIMIT_REDIS_URL", "TIM_FLEET_SIZE", "TIM_REDIS_FALLBACK"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) unsetenv(all[i]);

    int ran = 0, skipped = 0, refused = 0;
    for (size_t i = 0; i < SETTINGS_CASES_LEN; i++) {
        const settings_case *c = &SETTINGS_CASES[i];
        if (c->needs != NULL) {
            printf("skipped %s: C cannot express %s\n", c->name, c->needs);
            skipped++;
            continue;
        }
        ran++;
        timadmin_client *client = NULL;
        timadmin_error *err = NULL;
        timadmin_status st = build(c, &client, &err);
        if (c->error_field != NULL) {
            refused++;
            CHECK(st == TIMADMIN_STATUS_INVALID_ARGUMENT && client == NULL);
            if (st != TIMADMIN_STATUS_INVALID_ARGUMENT || strcmp(timadmin_error_field(err), c->error_field) != 0) {
                fprintf(stderr, "%s: expected a refusal naming %s, got status %d field %s (%s)\n", c->name,
                        c->error_field, (int)st, err ? timadmin_error_field(err) : "-",
                        err ? timadmin_error_message(err) : "no error");
                g_failures++;
            }
            /* the refusal never shows a secret */
            CHECK(err == NULL || strstr(timadmin_error_message(err), "pw-secret") == NULL);
        } else if (st != TIMADMIN_STATUS_OK) {
            fprintf(stderr, "%s: refused (%s): %s\n", c->name, timadmin_status_description((int)st),
                    err ? timadmin_error_message(err) : "no error");
            g_failures++;
        } else {
            timadmin_string *json = NULL;
            CHECK_STATUS(timadmin_client_settings_json(client, &json, &err), TIMADMIN_STATUS_OK, err);
            CHECK(json != NULL && same_settings(c, timadmin_string_get(json)));
            /* secrets never shown */
            CHECK(json != NULL && strstr(timadmin_string_get(json), "pw-secret") == NULL);
            CHECK(json != NULL && strstr(timadmin_string_get(json), "signed-token") == NULL);
            timadmin_string_free(json);
        }
        timadmin_error_free(err);
        timadmin_client_free(client);
    }
    /* the NULL checks of timadmin_client_settings_json */
    {
        timadmin_error *err = NULL;
        timadmin_string *json = NULL;
        CHECK_STATUS(timadmin_client_settings_json(NULL, &json, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), "client");
        reset_error(&err);
        CHECK(json == NULL);
    }
    printf("settings vectors: %d of %d cases run (%d refusals), %d skipped\n", ran, SETTINGS_CASES_LEN, refused,
           skipped);
    CHECK(ran + skipped == SETTINGS_CASES_LEN && ran > 0);
    return test_finish("test_settings");
}
