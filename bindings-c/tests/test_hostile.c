/* Hostile servers and hostile input (issue 11) through the C ABI: the body cap, empty answers,
 * bad values refused before the network, clear-text HTTP refused at construction, redirects not
 * followed, the in-flight cap, and UserSig fragments echoed by a server redacted. The emulator's
 * `reply` and `large_body` faults play the hostile server. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "control.h"

#define PUB "@TGS#2DEMOPUB"
/* Runs of at least this many characters of a secret must never be shown. */
#define FRAGMENT 16

/* Prints an error as a user would see it (the leak sweep reads this output), then frees it. */
static void shown_reset(timadmin_error **err) {
    if (*err != NULL) {
        printf("error shown to the user: %s | service info: %s | field: %s\n", timadmin_error_message(*err),
               timadmin_error_api_info(*err), timadmin_error_field(*err));
    }
    reset_error(err);
}

static timadmin_client *plain_client(void) {
    timadmin_client_options *o = test_client_options();
    MUST(timadmin_client_options_set_max_retries(o, 0, NULL));
    return test_client_from(o);
}

/* Expects timadmin_client_new(options) to be refused naming `field`; frees `options`. */
static void expect_refused(timadmin_client_options *options, const char *field) {
    timadmin_client *none = NULL;
    timadmin_error *err = NULL;
    CHECK_STATUS(timadmin_client_new(options, &none, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), field);
    shown_reset(&err);
    CHECK(none == NULL);
    timadmin_client_options_free(options);
}

static timadmin_status muted(const timadmin_client *client, const char *group_id, timadmin_error **err) {
    timadmin_get_group_muted_account_request *req = NULL;
    timadmin_get_group_muted_account_response *result = NULL;
    timadmin_status st = timadmin_get_group_muted_account_request_new(group_id, &req, err);
    if (st == TIMADMIN_STATUS_OK) {
        st = timadmin_client_get_group_muted_account(client, req, &result, err);
    }
    timadmin_get_group_muted_account_request_free(req);
    timadmin_get_group_muted_account_response_free(result);
    return st;
}

static timadmin_status member_info(const timadmin_client *client, const char *group_id, timadmin_error **err) {
    timadmin_get_group_member_info_request *req = NULL;
    timadmin_get_group_member_info_response *result = NULL;
    timadmin_status st = timadmin_get_group_member_info_request_new(group_id, &req, err);
    if (st == TIMADMIN_STATUS_OK) {
        st = timadmin_client_get_group_member_info(client, req, &result, err);
    }
    timadmin_get_group_member_info_request_free(req);
    timadmin_get_group_member_info_response_free(result);
    return st;
}

/* Whether the emulator's call log is empty (nothing was sent since the last clear). */
static int no_calls(void) {
    char reply[4096];
    return http("GET", "/__emulator/calls", NULL, reply, sizeof reply) == 200 && strstr(reply, "\r\n\r\n[]") != NULL;
}

static void clear_calls(void) {
    char reply[1024];
    CHECK(http("DELETE", "/__emulator/calls", NULL, reply, sizeof reply) == 200);
}

static int has_fragment(const char *text, const char *secret) {
    size_t n = strlen(secret);
    char piece[FRAGMENT + 1];
    for (size_t i = 0; i + FRAGMENT <= n; i++) {
        memcpy(piece, secret + i, FRAGMENT);
        piece[FRAGMENT] = '\0';
        if (strstr(text, piece) != NULL) {
            return 1;
        }
    }
    return 0;
}

static void body_limit(void) {
    timadmin_error *err = NULL;
    timadmin_client *client = plain_client();
    inject("{\"kind\":\"large_body\"}");
    CHECK_STATUS(muted(client, PUB, &err), TIMADMIN_STATUS_BODY_TOO_LARGE, err);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "4194304") != NULL);
    CHECK(err != NULL && !timadmin_error_is_retryable(err));
    shown_reset(&err);
    inject("{\"kind\":\"large_body\",\"bytes\":1500000000,\"content_length\":true}");
    CHECK_STATUS(member_info(client, PUB, &err), TIMADMIN_STATUS_BODY_TOO_LARGE, err);
    shown_reset(&err);
    timadmin_client_free(client);

    timadmin_client_options *o = test_client_options();
    MUST(timadmin_client_options_set_max_response_bytes(o, 1024, NULL));
    client = test_client_from(o);
    CHECK_STATUS(member_info(client, PUB, &err), TIMADMIN_STATUS_BODY_TOO_LARGE, err);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "1024") != NULL);
    shown_reset(&err);
    timadmin_client_free(client);
    CHECK_STREQ(timadmin_status_description(TIMADMIN_STATUS_BODY_TOO_LARGE), "response body over the size limit");
}

static void empty_answers(void) {
    timadmin_error *err = NULL;
    timadmin_client *client = plain_client();
    inject("{\"kind\":\"reply\",\"body\":\"{\\\"ActionStatus\\\":\\\"OK\\\"}\"}");
    CHECK_STATUS(member_info(client, PUB, &err), TIMADMIN_STATUS_DECODE, err);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "ErrorCode") != NULL);
    shown_reset(&err);
    inject("{\"kind\":\"reply\",\"body\":\"{\\\"ActionStatus\\\":\\\"OK\\\",\\\"ErrorCode\\\":0}\"}");
    CHECK_STATUS(muted(client, PUB, &err), TIMADMIN_STATUS_DECODE, err);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "GroupId or MutedAccountList") != NULL);
    shown_reset(&err);
    inject("{\"kind\":\"reply\",\"body\":\"{}\"}");
    CHECK_STATUS(member_info(client, PUB, &err), TIMADMIN_STATUS_DECODE, err);
    shown_reset(&err);
    /* The emulator's own answers decode. */
    CHECK_STATUS(member_info(client, PUB, &err), TIMADMIN_STATUS_OK, err);
    timadmin_client_free(client);
}

static void bad_values(void) {
    timadmin_error *err = NULL;
    timadmin_client *client = plain_client();
    clear_calls();
    const char *bad_ids[] = {"@TGS#1\n", "@TGS#\x01x", "\t"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        CHECK_STATUS(member_info(client, bad_ids[i], &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), "GroupId");
        shown_reset(&err);
        CHECK_STATUS(muted(client, bad_ids[i], &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        shown_reset(&err);
    }
    size_t huge = 1u << 20;
    char *megabyte = malloc(huge + 1);
    CHECK(megabyte != NULL);
    if (megabyte != NULL) {
        memset(megabyte, 'g', huge);
        megabyte[huge] = '\0';
        CHECK_STATUS(member_info(client, megabyte, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), "GroupId");
        shown_reset(&err);
        free(megabyte);
    }
    timadmin_client_free(client);

    timadmin_client_options *o = test_client_options();
    MUST(timadmin_client_options_set_identifier(o, "admin\nistrator", NULL));
    expect_refused(o, "identifier");
    o = test_client_options();
    MUST(timadmin_client_options_set_sdkappid(o, 4294967296ULL, NULL));
    expect_refused(o, "sdkappid");
    o = test_client_options();
    MUST(timadmin_client_options_set_max_in_flight(o, 0, NULL));
    expect_refused(o, "max_in_flight");
    CHECK(no_calls());
}

static void clear_text_http(void) {
    /* Construction fails before any connection: these hosts are never contacted. */
    const char *urls[] = {"http://203.0.113.7", "http://10.0.0.1:8080"};
    for (size_t i = 0; i < 2; i++) {
        timadmin_error *err = NULL;
        timadmin_client *client = NULL;
        timadmin_client_options *o = test_client_options();
        MUST(timadmin_client_options_set_base_url(o, urls[i], NULL));
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), "base_url");
        CHECK(err != NULL && strstr(timadmin_error_message(err), "allow_insecure_http") != NULL);
        shown_reset(&err);
        CHECK(client == NULL);
        MUST(timadmin_client_options_set_allow_insecure_http(o, true, NULL));
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        timadmin_client_options_free(o);
    }
}

static void redirects(void) {
    char fault[512];
    timadmin_error *err = NULL;
    timadmin_client *client = plain_client();
    const int statuses[] = {302, 307};
    for (size_t i = 0; i < 2; i++) {
        clear_calls();
        snprintf(fault, sizeof fault,
                 "{\"kind\":\"reply\",\"status\":%d,\"location\":\"%s/v4/group_open_http_svc/get_group_muted_account\"}",
                 statuses[i], test_base_url());
        inject(fault);
        CHECK_STATUS(muted(client, PUB, &err), TIMADMIN_STATUS_HTTP_STATUS, err);
        CHECK(err != NULL && timadmin_error_http_status(err) == statuses[i]);
        shown_reset(&err);
        char reply[8192];
        CHECK(http("GET", "/__emulator/calls", NULL, reply, sizeof reply) == 200);
        /* One call, the redirected one: never followed. */
        CHECK(strstr(reply, "\"command\"") != NULL && strstr(strstr(reply, "\"command\"") + 1, "\"command\"") == NULL);
    }
    timadmin_client_free(client);
}

struct slow_call {
    const timadmin_client *client;
    timadmin_status status;
};

static void *call_once(void *arg) {
    struct slow_call *c = arg;
    timadmin_error *err = NULL;
    c->status = muted(c->client, PUB, &err);
    timadmin_error_free(err);
    return NULL;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void in_flight_cap(void) {
    /* Four threads, each answer delayed 250 ms, one call on the wire at a time: >= 1 s, and
     * the emulator never saw two requests in flight at once. */
    char reply[4096];
    CHECK(http("DELETE", "/__emulator/calls", NULL, reply, sizeof reply) == 200);
    timadmin_client_options *o = test_client_options();
    MUST(timadmin_client_options_set_max_in_flight(o, 1, NULL));
    timadmin_client *client = test_client_from(o);
    inject("{\"kind\":\"delay\",\"millis\":250,\"times\":4,\"command\":\"get_group_muted_account\"}");
    pthread_t threads[4];
    struct slow_call calls[4];
    double started = now_seconds();
    for (int i = 0; i < 4; i++) {
        calls[i].client = client;
        calls[i].status = TIMADMIN_STATUS_UNKNOWN;
        CHECK(pthread_create(&threads[i], NULL, call_once, &calls[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(calls[i].status == TIMADMIN_STATUS_OK);
    }
    CHECK(now_seconds() - started >= 0.95);
    timadmin_client_free(client);
    CHECK(http("GET", "/__emulator/stats", NULL, reply, sizeof reply) == 200);
    const char *peak = strstr(reply, "\"peak_in_flight\":");
    CHECK(peak != NULL && strtol(peak + strlen("\"peak_in_flight\":"), NULL, 10) == 1);
    const char *seen = strstr(reply, "\"calls\":");
    CHECK(seen != NULL && strtol(seen + strlen("\"calls\":"), NULL, 10) == 4);
}

static void echoed_usersig(void) {
    timadmin_error *err = NULL;
    timadmin_string *sig = NULL;
    CHECK_STATUS(timadmin_generate_usersig(test_sdkappid(), test_key(), test_identifier(), 3600, NULL, 0, &sig, &err),
                 TIMADMIN_STATUS_OK, err);
    timadmin_client_options *o = test_options_without_credential();
    MUST(timadmin_client_options_set_usersig(o, timadmin_string_get(sig), NULL));
    MUST(timadmin_client_options_set_max_retries(o, 0, NULL));
    timadmin_client *client = test_client_from(o);
    inject("{\"kind\":\"reply\",\"body\":\"{\\\"ActionStatus\\\":\\\"FAIL\\\",\\\"ErrorCode\\\":10004,"
           "\\\"ErrorInfo\\\":\\\"bad ${USERSIG_PARTIAL}\\\"}\"}");
    CHECK_STATUS(muted(client, PUB, &err), TIMADMIN_STATUS_API, err);
    CHECK(err != NULL && strstr(timadmin_error_message(err), "[redacted]") != NULL);
    CHECK(err != NULL && !has_fragment(timadmin_error_message(err), timadmin_string_get(sig)));
    CHECK(err != NULL && !has_fragment(timadmin_error_api_info(err), timadmin_string_get(sig)));
    shown_reset(&err);
    inject("{\"kind\":\"reply\",\"status\":502,\"body\":\"<html>${USERSIG_PARTIAL}</html>\"}");
    CHECK_STATUS(muted(client, PUB, &err), TIMADMIN_STATUS_HTTP_STATUS, err);
    CHECK(err != NULL && !has_fragment(timadmin_error_message(err), timadmin_string_get(sig)));
    shown_reset(&err);
    timadmin_client_free(client);
    timadmin_string_free(sig);
}

int main(void) {
    char reply[1024];
    CHECK(http("DELETE", "/__emulator/faults", NULL, reply, sizeof reply) == 200);
    body_limit();
    empty_answers();
    bad_values();
    clear_text_http();
    redirects();
    in_flight_cap();
    echoed_usersig();
    CHECK(http("DELETE", "/__emulator/faults", NULL, reply, sizeof reply) == 200);
    return test_finish("test_hostile");
}
