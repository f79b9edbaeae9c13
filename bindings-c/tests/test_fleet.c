/* The rate limit shared by a fleet: timadmin_client_options.rate_limit_redis_url / has_fleet_size /
 * fleet_size / redis_fallback against the password-protected redis-server test.sh starts
 * (TIMADMIN_TEST_REDIS_URL), an unreachable Redis with each fallback, the bad settings, and
 * that the Redis password never appears in an error. */
#include "common.h"

/* The password test.sh gives redis-server (--requirepass). */
#define REDIS_PASSWORD "c-fleet-pw-9"

/* One get_group_member_info call on the demo public group; returns its status. */
static timadmin_status probe(const timadmin_client *client, timadmin_error **err) {
    timadmin_get_group_member_info_request req = {0};
    timadmin_get_group_member_info_response *result = NULL;
    req.group_id = "@TGS#2DEMOPUB";
    timadmin_status st = timadmin_client_get_group_member_info(client, &req, &result, err);
    timadmin_get_group_member_info_response_free(result);
    return st;
}

/* A config with the rate limit on (a shared limit needs one), shared through `url`. */
static timadmin_client_options fleet_config(const char *url, int fallback) {
    timadmin_client_options cfg = test_client_options();
    cfg.disable_rate_limit = false;
    cfg.rate_limit_redis_url = url;
    cfg.has_fleet_size = true;
    cfg.fleet_size = 3;
    cfg.redis_fallback = fallback;
    return cfg;
}

static void expect_options_error(const timadmin_client_options *cfg, const char *field) {
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    CHECK_STATUS(timadmin_client_new(cfg, &client, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK(client == NULL);
    CHECK_STREQ(timadmin_error_field(err), field);
    CHECK(err != NULL && strstr(timadmin_error_message(err), REDIS_PASSWORD) == NULL);
    timadmin_error_free(err);
}

int main(void) {
    const char *redis_url = test_env("TIMADMIN_TEST_REDIS_URL");
    const char *dead_url = "redis://:" REDIS_PASSWORD "@127.0.0.1:1/0"; /* nothing listens on port 1 */
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;

    /* through a live Redis: calls go through (LOCAL_SHARE, so that a slow first connection
     * under valgrind cannot fail the call; the Rust and Python suites check the Redis side) */
    {
        timadmin_client_options cfg = fleet_config(redis_url, TIMADMIN_REDIS_FALLBACK_LOCAL_SHARE);
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        for (int i = 0; i < 3; i++) {
            CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        }
        timadmin_client_free(client);
        client = NULL;
    }
    /* Redis unreachable, FAIL: a typed, retryable error, nothing sent, no password shown */
    {
        timadmin_client_options cfg = fleet_config(dead_url, TIMADMIN_REDIS_FALLBACK_FAIL);
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
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
        timadmin_client_options cfg = fleet_config(dead_url, TIMADMIN_REDIS_FALLBACK_UNSET);
        cfg.has_fleet_size = false;
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;
    }
    /* bad settings, refused before any call */
    {
        timadmin_client_options cfg;
        cfg = fleet_config("rediss://:" REDIS_PASSWORD "@127.0.0.1:6380/0", 0);
        expect_options_error(&cfg, "rate_limit_redis_url");
        cfg = fleet_config(REDIS_PASSWORD, 0);
        expect_options_error(&cfg, "rate_limit_redis_url");
        cfg = fleet_config(INVALID_UTF8, 0);
        expect_options_error(&cfg, "rate_limit_redis_url");
        cfg = fleet_config(redis_url, 0);
        cfg.fleet_size = 0;
        expect_options_error(&cfg, "fleet_size");
        cfg = fleet_config(redis_url, 7);
        expect_options_error(&cfg, "redis_fallback");
        cfg = fleet_config(redis_url, 0);
        cfg.disable_rate_limit = true; /* nothing to share */
        expect_options_error(&cfg, "rate_limit_redis_url");
    }

    return test_finish("test_fleet");
}
