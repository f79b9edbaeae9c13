/* Client construction: config struct (secret key, UserSig, provider callback), environment,
 * every invalid setting, NULL arguments, getters, and transport/service failures. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include "common.h"

static int provider_calls = 0;

/* A UserSig provider that signs with the test key (a real app would ask its backend). */
static bool good_provider(void *userdata, timadmin_usersig_sink *sink) {
    const char *identifier = userdata;
    timadmin_string *sig = NULL;
    timadmin_error *e = NULL;
    provider_calls++;
    /* the sink checks its arguments too */
    CHECK_STATUS(timadmin_usersig_sink_set(sink, NULL, &e), TIMADMIN_STATUS_NULL_PARAMETER, e);
    CHECK_STREQ(timadmin_error_field(e), "usersig");
    reset_error(&e);
    CHECK_STATUS(timadmin_usersig_sink_set(sink, INVALID_UTF8, &e), TIMADMIN_STATUS_INVALID_ARGUMENT, e);
    reset_error(&e);
    if (timadmin_generate_usersig(test_sdkappid(), test_key(), identifier, 3600, NULL, 0, &sig, NULL) !=
        TIMADMIN_STATUS_OK) {
        return false;
    }
    bool ok = timadmin_usersig_sink_set(sink, timadmin_string_get(sig), NULL) == TIMADMIN_STATUS_OK;
    timadmin_string_free(sig);
    return ok;
}

static bool failing_provider(void *userdata, timadmin_usersig_sink *sink) {
    (void)userdata;
    (void)sink;
    return false;
}

static bool silent_provider(void *userdata, timadmin_usersig_sink *sink) {
    (void)userdata;
    (void)sink;
    return true; /* claims success without supplying a UserSig */
}

/* One get_group_member_info call on the demo public group; returns its status. */
static timadmin_status probe(const timadmin_client *client, timadmin_error **err) {
    timadmin_get_group_member_info_request req = {0};
    timadmin_get_group_member_info_response *result = NULL;
    req.group_id = "@TGS#2DEMOPUB";
    timadmin_status st = timadmin_client_get_group_member_info(client, &req, &result, err);
    if (st == TIMADMIN_STATUS_OK) {
        CHECK(result->member_num == 5);
    }
    timadmin_get_group_member_info_response_free(result);
    return st;
}

/* Expects timadmin_client_new(cfg) to fail with `expected`, naming `field` (when not NULL). */
static void expect_options_error(const timadmin_client_options *cfg, timadmin_status expected, const char *field) {
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    CHECK_STATUS(timadmin_client_new(cfg, &client, &err), expected, err);
    CHECK(client == NULL);
    CHECK(err != NULL && timadmin_error_status(err) == expected);
    if (field != NULL) {
        CHECK_STREQ(timadmin_error_field(err), field);
        if (err != NULL && strcmp(timadmin_error_field(err), field) != 0) {
            fprintf(stderr, "  field was %s (%s)\n", timadmin_error_field(err), timadmin_error_message(err));
        }
    }
    /* the secret key never appears in an error */
    CHECK(err != NULL && strstr(timadmin_error_message(err), test_key()) == NULL);
    timadmin_client_free(client);
    timadmin_error_free(err);
}

int main(void) {
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;

    /* secret key */
    {
        timadmin_client_options cfg = test_client_options();
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK(timadmin_client_sdkappid(client) == test_sdkappid());
        CHECK_STREQ(timadmin_client_identifier(client), test_identifier());
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;
    }
    /* every optional setting given explicitly */
    {
        timadmin_client_options cfg = test_client_options();
        cfg.disable_rate_limit = false;
        cfg.has_rate_limit = true;
        cfg.rate_limit = 1000.0;
        cfg.has_timeout_ms = true;
        cfg.timeout_ms = 5000;
        cfg.has_max_retries = true;
        cfg.max_retries = 1;
        cfg.has_usersig_lifetime_secs = true;
        cfg.usersig_lifetime_secs = 3600;
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;
    }
    /* pre-signed UserSig */
    {
        timadmin_string *sig = NULL;
        CHECK_STATUS(timadmin_generate_usersig(test_sdkappid(), test_key(), test_identifier(), 3600, NULL, 0,
                                               &sig, &err),
                     TIMADMIN_STATUS_OK, err);
        timadmin_client_options cfg = test_client_options();
        cfg.secret_key = NULL;
        cfg.usersig = timadmin_string_get(sig);
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;
        timadmin_string_free(sig);
    }
    /* a UserSig signed with the wrong key: the service refuses it (70009 or similar) */
    {
        timadmin_string *sig = NULL;
        CHECK_STATUS(timadmin_generate_usersig(test_sdkappid(), "wrong-key", test_identifier(), 3600, NULL, 0,
                                               &sig, &err),
                     TIMADMIN_STATUS_OK, err);
        timadmin_client_options cfg = test_client_options();
        cfg.secret_key = NULL;
        cfg.usersig = timadmin_string_get(sig);
        cfg.has_max_retries = true;
        cfg.max_retries = 0;
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_SERVICE_ERROR, err);
        CHECK(timadmin_error_service_code(err) >= 60000);
        CHECK(strlen(timadmin_error_service_kind(err)) > 0);
        CHECK(strstr(timadmin_error_message(err), timadmin_string_get(sig)) == NULL);
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;
        timadmin_string_free(sig);
    }
    /* provider callback */
    {
        timadmin_client_options cfg = test_client_options();
        cfg.secret_key = NULL;
        cfg.usersig_provider = good_provider;
        cfg.usersig_provider_userdata = (void *)test_identifier();
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        CHECK(provider_calls >= 1);
        timadmin_client_free(client);
        client = NULL;

        cfg.usersig_provider = failing_provider;
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_CREDENTIALS, err);
        CHECK(err != NULL && strstr(timadmin_error_message(err), "provider") != NULL);
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;

        cfg.usersig_provider = silent_provider;
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_CREDENTIALS, err);
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;
    }
    /* sink NULL checks */
    CHECK_STATUS(timadmin_usersig_sink_set(NULL, "x", &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "sink");
    reset_error(&err);

    /* from the environment */
    {
        setenv("TIM_SDKAPPID", getenv("TIMADMIN_TEST_SDKAPPID"), 1);
        setenv("TIM_SECRET_KEY", test_key(), 1);
        setenv("TIM_IDENTIFIER", test_identifier(), 1);
        setenv("TIM_BASE_URL", test_base_url(), 1);
        unsetenv("TIM_USERSIG");
        unsetenv("TIM_REGION");
        CHECK_STATUS(timadmin_client_new_from_env(&client, &err), TIMADMIN_STATUS_OK, err);
        CHECK(timadmin_client_sdkappid(client) == test_sdkappid());
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;

        setenv("TIM_REGION", "mars", 1);
        unsetenv("TIM_BASE_URL");
        CHECK_STATUS(timadmin_client_new_from_env(&client, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), "TIM_REGION");
        reset_error(&err);
        unsetenv("TIM_SDKAPPID");
        CHECK_STATUS(timadmin_client_new_from_env(&client, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), "TIM_SDKAPPID");
        reset_error(&err);
        CHECK(client == NULL);
        CHECK_STATUS(timadmin_client_new_from_env(NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), "client_out");
        reset_error(&err);
    }

    /* a region is accepted (no network call at construction) */
    {
        timadmin_client_options cfg = test_client_options();
        cfg.base_url = NULL;
        cfg.region = "singapore";
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;
    }

    /* invalid configurations, each rejected before any network call */
    {
        timadmin_client_options cfg;
        cfg = test_client_options(); cfg.sdkappid = 0;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "sdkappid");
        cfg = test_client_options(); cfg.secret_key = NULL;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "secret_key");
        cfg = test_client_options(); cfg.usersig = "also-a-usersig";
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "secret_key");
        cfg = test_client_options(); cfg.sdkappid = 4294967296ULL; /* SDKAppIDs are 32-bit */
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "sdkappid");
        cfg = test_client_options(); cfg.secret_key = "";
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "secret_key");
        cfg = test_client_options(); cfg.region = "tokyo";
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "base_url");
        cfg = test_client_options(); cfg.base_url = NULL; cfg.region = "mars";
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "region");
        cfg = test_client_options(); cfg.base_url = "ftp://127.0.0.1/";
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "base_url");
        cfg = test_client_options(); cfg.base_url = "not a url";
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "base_url");
        cfg = test_client_options(); cfg.has_timeout_ms = true; cfg.timeout_ms = 0;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "timeout");
        cfg = test_client_options(); cfg.disable_rate_limit = false; cfg.has_rate_limit = true; cfg.rate_limit = -1.0;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "rate_limit");
        cfg = test_client_options(); cfg.has_rate_limit = true; cfg.rate_limit = 10.0; /* and disable_rate_limit */
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "rate_limit");
        cfg = test_client_options(); cfg.has_usersig_lifetime_secs = true; cfg.usersig_lifetime_secs = 5;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "usersig_lifetime");
        cfg = test_client_options(); cfg.identifier = " ";
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "identifier");
        /* invalid UTF-8 in every string field */
        cfg = test_client_options(); cfg.identifier = INVALID_UTF8;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "identifier");
        cfg = test_client_options(); cfg.secret_key = INVALID_UTF8;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "secret_key");
        cfg = test_client_options(); cfg.secret_key = NULL; cfg.usersig = INVALID_UTF8;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "usersig");
        cfg = test_client_options(); cfg.base_url = INVALID_UTF8;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "base_url");
        cfg = test_client_options(); cfg.base_url = NULL; cfg.region = INVALID_UTF8;
        expect_options_error(&cfg, TIMADMIN_STATUS_INVALID_ARGUMENT, "region");
    }

    /* NULL arguments */
    {
        timadmin_client_options cfg = test_client_options();
        CHECK_STATUS(timadmin_client_new(NULL, &client, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), "options");
        reset_error(&err);
        CHECK_STATUS(timadmin_client_new(&cfg, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), "client_out");
        reset_error(&err);
        CHECK_STATUS(timadmin_client_new(&cfg, NULL, NULL), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK(client == NULL);
        CHECK(timadmin_client_sdkappid(NULL) == 0);
        CHECK(timadmin_client_identifier(NULL) == NULL);
        timadmin_client_free(NULL);
    }

    /* nothing listens on the discard port: a transport error, after the configured retries */
    {
        timadmin_client_options cfg = test_client_options();
        cfg.base_url = "http://127.0.0.1:9";
        cfg.has_max_retries = true;
        cfg.max_retries = 0;
        CHECK_STATUS(timadmin_client_new(&cfg, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_TRANSPORT, err);
        CHECK(timadmin_error_is_retryable(err));
        CHECK(timadmin_error_service_code(err) == 0);
        CHECK_STREQ(timadmin_error_service_info(err), "");
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;
    }

    return test_finish("test_client");
}
