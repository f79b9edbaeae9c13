/*
 * Shared helpers of the libtimadmin C tests: a tiny assertion macro and the emulator settings,
 * which test.sh passes in the environment (TIMADMIN_TEST_BASE_URL, TIMADMIN_TEST_SDKAPPID,
 * TIMADMIN_TEST_KEY, TIMADMIN_TEST_IDENTIFIER).
 */
#ifndef TIMADMIN_TEST_COMMON_H
#define TIMADMIN_TEST_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <timadmin.h>

static int g_checks = 0;
static int g_failures = 0;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        g_checks++;                                                                   \
        if (!(cond)) {                                                                \
            g_failures++;                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

/* Checks a status, printing the error message when it is not the expected one. `err` must be
 * the variable (an lvalue) that received the error object, or NULL. */
#define CHECK_STATUS(expr, expected, err)                                             \
    do {                                                                              \
        timadmin_status st_ = (expr);                                                 \
        g_checks++;                                                                   \
        if (st_ != (expected)) {                                                      \
            g_failures++;                                                             \
            fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d: %s\n", __FILE__, \
                    __LINE__, #expr, (int)st_, timadmin_status_description((int)st_), \
                    (int)(expected),                                                  \
                    (err) ? timadmin_error_message(err) : "(no error object)");       \
        }                                                                             \
        if ((expected) == TIMADMIN_STATUS_OK && (err) != NULL) {                      \
            /* an unexpected failure: do not leak its error object */                \
            timadmin_error_free(err);                                                 \
            (err) = NULL;                                                             \
        }                                                                             \
    } while (0)

#define CHECK_STREQ(a, b) CHECK((a) != NULL && (b) != NULL && strcmp((a), (b)) == 0)

/* Frees *err and sets it to NULL. */
static inline void reset_error(timadmin_error **err) {
    timadmin_error_free(*err);
    *err = NULL;
}

static inline const char *test_env(const char *name) {
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "environment variable %s is not set (run this through test.sh)\n", name);
        exit(2);
    }
    return v;
}

static inline uint64_t test_sdkappid(void) { return strtoull(test_env("TIMADMIN_TEST_SDKAPPID"), NULL, 10); }
static inline const char *test_key(void) { return test_env("TIMADMIN_TEST_KEY"); }
static inline const char *test_base_url(void) { return test_env("TIMADMIN_TEST_BASE_URL"); }
static inline const char *test_identifier(void) { return test_env("TIMADMIN_TEST_IDENTIFIER"); }

/* Exits when a call that cannot fail in a correct test fails (a setter given valid input). */
#define MUST(expr) must_ok((expr), #expr, __FILE__, __LINE__)
static inline void must_ok(timadmin_status st, const char *what, const char *file, int line) {
    if (st != TIMADMIN_STATUS_OK) {
        fprintf(stderr, "%s:%d: %s failed: %s\n", file, line, what, timadmin_status_description((int)st));
        exit(2);
    }
}

/* Options for the emulator without a credential: SDKAppID, identifier, explicit base URL, no
 * client-side rate limit. The caller frees them with timadmin_client_options_free. */
static inline timadmin_client_options *test_options_without_credential(void) {
    timadmin_client_options *options = timadmin_client_options_new();
    MUST(timadmin_client_options_set_sdkappid(options, test_sdkappid(), NULL));
    MUST(timadmin_client_options_set_identifier(options, test_identifier(), NULL));
    MUST(timadmin_client_options_set_base_url(options, test_base_url(), NULL));
    MUST(timadmin_client_options_set_rate_limit_off(options, NULL));
    return options;
}

/* The same with the test's secret key. */
static inline timadmin_client_options *test_client_options(void) {
    timadmin_client_options *options = test_options_without_credential();
    MUST(timadmin_client_options_set_secret_key(options, test_key(), NULL));
    return options;
}

/* A client from `options` (which it frees); exits when it cannot be built. */
static inline timadmin_client *test_client_from(timadmin_client_options *options) {
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    timadmin_status st = timadmin_client_new(options, &client, &err);
    timadmin_client_options_free(options);
    if (st != TIMADMIN_STATUS_OK) {
        fprintf(stderr, "cannot build the test client: %s\n", timadmin_error_message(err));
        timadmin_error_free(err);
        exit(2);
    }
    return client;
}

/* A client for the emulator; exits when it cannot be built. */
static inline timadmin_client *test_client(void) { return test_client_from(test_client_options()); }

/* Requests for `group_id` (a valid id); exit when they cannot be made. The caller frees them
 * with their _free. */
static inline timadmin_get_group_member_info_request *test_member_info_request(const char *group_id) {
    timadmin_get_group_member_info_request *request = NULL;
    MUST(timadmin_get_group_member_info_request_new(group_id, &request, NULL));
    return request;
}
static inline timadmin_get_group_muted_account_request *test_muted_request(const char *group_id) {
    timadmin_get_group_muted_account_request *request = NULL;
    MUST(timadmin_get_group_muted_account_request_new(group_id, &request, NULL));
    return request;
}
static inline timadmin_modify_group_base_info_request *test_modify_request(const char *group_id) {
    timadmin_modify_group_base_info_request *request = NULL;
    MUST(timadmin_modify_group_base_info_request_new(group_id, &request, NULL));
    return request;
}

/* A string that is not valid UTF-8. */
#define INVALID_UTF8 "\xff\xfe" "x"

static inline int test_finish(const char *name) {
    printf("%s: %d checks, %d failed\n", name, g_checks, g_failures);
    return g_failures == 0 && g_checks > 0 ? 0 : 1;
}

#endif
