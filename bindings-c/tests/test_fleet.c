/* The rate limit shared by a fleet: timadmin_client_options_set_rate_limit_redis_url /
 * _set_fleet_size / _set_redis_fallback against the password-protected redis-server test.sh starts
 * (TIMADMIN_TEST_REDIS_URL), an unreachable Redis with each fallback, the bad settings, and
 * that the Redis password never appears in an error. */
#include "common.h"

/* The password test.sh gives redis-server (--requirepass). */
#define REDIS_PASSWORD "c-fleet-pw-9"

/* One get_group_member_info call on the demo public group; returns its status. */
static timadmin_status probe(const timadmin_client *client, timadmin_error **err) {
    timadmin_get_group_member_info_request *req = test_member_info_request("@TGS#2DEMOPUB");
    timadmin_get_group_member_info_response *result = NULL;
    timadmin_status st = timadmin_client_get_group_member_info(client, req, &result, err);
    timadmin_get_group_member_info_request_free(req);
    timadmin_get_group_member_info_response_free(result);
    return st;
}

/* Options with the rate limit on (a shared limit needs one), shared through `url`, for a fleet
 * of 3; `fallback` 0 leaves the fallback unset. */
static timadmin_client_options *fleet_options(const char *url, int fallback) {
    timadmin_client_options *o = test_client_options();
    MUST(timadmin_client_options_set_rate_limit(o, 200.0, NULL));
    MUST(timadmin_client_options_set_rate_limit_redis_url(o, url, NULL));
    MUST(timadmin_client_options_set_fleet_size(o, 3, NULL));
    if (fallback != 0) {
        MUST(timadmin_client_options_set_redis_fallback(o, fallback, NULL));
    }
    return o;
}

/* Expects timadmin_client_new(options) to be refused naming `field`; frees `options`. */
static void expect_options_error(timadmin_client_options *options, const char *field) {
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    CHECK_STATUS(timadmin_client_new(options, &client, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK(client == NULL);
    CHECK_STREQ(timadmin_error_field(err), field);
    CHECK(err != NULL && strstr(timadmin_error_message(err), REDIS_PASSWORD) == NULL);
    timadmin_error_free(err);
    timadmin_client_options_free(options);
}

int main(void) {
    const char *redis_url = test_env("TIMADMIN_TEST_REDIS_URL");
    const char *dead_url = "redis://:" REDIS_PASSWORD "@127.0.0.1:1/0"; /* nothing listens on port 1 */
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;

    /* through a live Redis: calls go through (LOCAL_SHARE, so that a slow first connection
     * under valgrind cannot fail the call; the Rust and Python suites check the Redis side) */
    {
        client = test_client_from(fleet_options(redis_url, TIMADMIN_REDIS_FALLBACK_LOCAL_SHARE));
        for (int i = 0; i < 3; i++) {
            CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        }
        timadmin_client_free(client);
        client = NULL;
    }
    /* Redis unreachable, FAIL: a typed, retryable error, nothing sent, no password shown */
    {
        client = test_client_from(fleet_options(dead_url, TIMADMIN_REDIS_FALLBACK_FAIL));
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_RATE_LIMITER_UNAVAILABLE, err);
        CHECK(timadmin_error_is_retryable(err));
        CHECK(err != NULL && strstr(timadmin_error_message(err), "shared rate limiter unavailable") != NULL);
        CHECK(err != NULL && strstr(timadmin_error_message(err), "redis://127.0.0.1:1/0") != NULL);
        CHECK(err != NULL && strstr(timadmin_error_message(err), REDIS_PASSWORD) == NULL);
        CHECK_STREQ(timadmin_status_description(TIMADMIN_STATUS_RATE_LIMITER_UNAVAILABLE),
                    "shared rate limiter unavailable");
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;
    }
    /* Redis unreachable, unset fallback (LOCAL_SHARE): calls go through on the local share */
    {
        timadmin_client_options *o = test_client_options();
        MUST(timadmin_client_options_set_rate_limit(o, 200.0, NULL));
        MUST(timadmin_client_options_set_rate_limit_redis_url(o, dead_url, NULL));
        client = test_client_from(o);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;
    }
    /* bad settings, refused before any call */
    {
        timadmin_client_options *o;
        expect_options_error(fleet_options("rediss://:" REDIS_PASSWORD "@127.0.0.1:6380/0", 0), "rate_limit_redis_url");
        expect_options_error(fleet_options(REDIS_PASSWORD, 0), "rate_limit_redis_url");
        o = fleet_options(redis_url, 0);
        MUST(timadmin_client_options_set_fleet_size(o, 0, NULL));
        expect_options_error(o, "fleet_size");
        o = fleet_options(redis_url, 0);
        MUST(timadmin_client_options_set_rate_limit_off(o, NULL)); /* nothing to share */
        expect_options_error(o, "rate_limit_redis_url");
        /* what the setters refuse themselves, without showing the value */
        o = fleet_options(redis_url, 0);
        CHECK_STATUS(timadmin_client_options_set_rate_limit_redis_url(o, INVALID_UTF8, &err),
                     TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), "rate_limit_redis_url");
        reset_error(&err);
        CHECK_STATUS(timadmin_client_options_set_redis_fallback(o, 7, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), "redis_fallback");
        reset_error(&err);
        timadmin_client_options_free(o);
    }

    return test_finish("test_fleet");
}
