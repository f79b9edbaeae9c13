/* Client construction: the options object and its setters (secret key, UserSig, provider
 * callback), environment, every invalid setting, NULL arguments, getters, and
 * transport/service failures. */
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
    timadmin_get_group_member_info_request *req = test_member_info_request("@TGS#2DEMOPUB");
    timadmin_get_group_member_info_response *result = NULL;
    timadmin_status st = timadmin_client_get_group_member_info(client, req, &result, err);
    timadmin_get_group_member_info_request_free(req);
    if (st == TIMADMIN_STATUS_OK) {
        CHECK(result->member_num == 5);
    }
    timadmin_get_group_member_info_response_free(result);
    return st;
}

/* Expects timadmin_client_new(options) to fail with `expected`, naming `field` (when not NULL).
 * Frees `options`. */
static void expect_options_error(timadmin_client_options *options, timadmin_status expected, const char *field) {
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;
    CHECK_STATUS(timadmin_client_new(options, &client, &err), expected, err);
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
    timadmin_client_options_free(options);
}

/* Expects a setter's status `got` to be `expected`, naming `field`; frees the error. */
static void expect_setter_error(timadmin_status got, timadmin_error **err, timadmin_status expected, const char *field) {
    CHECK_STATUS(got, expected, *err);
    CHECK(*err != NULL && timadmin_error_status(*err) == expected);
    CHECK_STREQ(timadmin_error_field(*err), field);
    reset_error(err);
}

/* Options with the test's key for a region instead of the emulator's base URL. */
static timadmin_client_options *region_options(const char *region) {
    timadmin_client_options *o = timadmin_client_options_new();
    MUST(timadmin_client_options_set_sdkappid(o, test_sdkappid(), NULL));
    MUST(timadmin_client_options_set_secret_key(o, test_key(), NULL));
    MUST(timadmin_client_options_set_region(o, region, NULL));
    return o;
}

typedef timadmin_status (*string_setter)(timadmin_client_options *, const char *, timadmin_error **);

int main(void) {
    timadmin_client *client = NULL;
    timadmin_error *err = NULL;

    /* secret key; the options may be freed (and reused) once the client is built */
    {
        timadmin_client_options *o = test_client_options();
        timadmin_client *second = NULL;
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(timadmin_client_new(o, &second, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_options_free(o);
        CHECK(timadmin_client_sdkappid(client) == test_sdkappid());
        CHECK_STREQ(timadmin_client_identifier(client), test_identifier());
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(second, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(second);
        timadmin_client_free(client);
        client = NULL;
    }
    /* every optional setting given explicitly; a later setter replaces an earlier one */
    {
        timadmin_client_options *o = test_client_options();
        MUST(timadmin_client_options_set_rate_limit(o, 1000.0, NULL));
        MUST(timadmin_client_options_set_timeout(o, 5.0, NULL));
        MUST(timadmin_client_options_set_max_retries(o, 1, NULL));
        MUST(timadmin_client_options_set_usersig_lifetime(o, 3600, NULL));
        MUST(timadmin_client_options_set_max_response_bytes(o, 1 << 20, NULL));
        MUST(timadmin_client_options_set_allow_insecure_http(o, false, NULL));
        MUST(timadmin_client_options_set_max_in_flight(o, 8, NULL));
        MUST(timadmin_client_options_set_fleet_size(o, 2, NULL));
        MUST(timadmin_client_options_set_redis_fallback(o, TIMADMIN_REDIS_FALLBACK_FAIL, NULL));
        MUST(timadmin_client_options_set_identifier(o, "someone-else", NULL));
        MUST(timadmin_client_options_set_identifier(o, test_identifier(), NULL));
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_options_free(o);
        CHECK_STREQ(timadmin_client_identifier(client), test_identifier());
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
        timadmin_client_options *o = test_options_without_credential();
        MUST(timadmin_client_options_set_usersig(o, timadmin_string_get(sig), NULL));
        timadmin_string_free(sig); /* the options hold a copy */
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_options_free(o);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_free(client);
        client = NULL;
    }
    /* a UserSig signed with the wrong key: the service refuses it (70009 or similar) */
    {
        timadmin_string *sig = NULL;
        CHECK_STATUS(timadmin_generate_usersig(test_sdkappid(), "wrong-key", test_identifier(), 3600, NULL, 0,
                                               &sig, &err),
                     TIMADMIN_STATUS_OK, err);
        timadmin_client_options *o = test_options_without_credential();
        MUST(timadmin_client_options_set_usersig(o, timadmin_string_get(sig), NULL));
        MUST(timadmin_client_options_set_max_retries(o, 0, NULL));
        client = test_client_from(o);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_API, err);
        CHECK(timadmin_error_api_code(err) >= 60000);
        CHECK(strlen(timadmin_error_api_kind(err)) > 0);
        CHECK(strstr(timadmin_error_message(err), timadmin_string_get(sig)) == NULL);
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;
        timadmin_string_free(sig);
    }
    /* provider callback */
    {
        timadmin_client_options *o = test_options_without_credential();
        MUST(timadmin_client_options_set_usersig_provider(o, good_provider, (void *)test_identifier(), NULL));
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_OK, err);
        CHECK(provider_calls >= 1);
        timadmin_client_free(client);
        client = NULL;

        MUST(timadmin_client_options_set_usersig_provider(o, failing_provider, NULL, NULL));
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_CREDENTIALS, err);
        CHECK(err != NULL && strstr(timadmin_error_message(err), "provider") != NULL);
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;

        MUST(timadmin_client_options_set_usersig_provider(o, silent_provider, NULL, NULL));
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_CREDENTIALS, err);
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;

        expect_setter_error(timadmin_client_options_set_usersig_provider(o, NULL, NULL, &err), &err,
                            TIMADMIN_STATUS_NULL_PARAMETER, "usersig_provider");
        timadmin_client_options_free(o);
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
        timadmin_client_options *o = region_options("singapore");
        CHECK_STATUS(timadmin_client_new(o, &client, &err), TIMADMIN_STATUS_OK, err);
        timadmin_client_options_free(o);
        timadmin_client_free(client);
        client = NULL;
    }

    /* invalid settings, each rejected by timadmin_client_new (the core's rules) before any
     * network call, naming the setting */
    {
        timadmin_client_options *o;
        o = test_client_options(); MUST(timadmin_client_options_set_sdkappid(o, 0, NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "sdkappid");
        o = timadmin_client_options_new(); MUST(timadmin_client_options_set_secret_key(o, test_key(), NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "sdkappid"); /* required */
        o = test_options_without_credential();
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "secret_key");
        o = test_client_options(); MUST(timadmin_client_options_set_usersig(o, "also-a-usersig", NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "secret_key");
        o = test_client_options(); MUST(timadmin_client_options_set_sdkappid(o, 4294967296ULL, NULL)); /* 32-bit */
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "sdkappid");
        o = test_options_without_credential(); MUST(timadmin_client_options_set_secret_key(o, "", NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "secret_key");
        o = test_client_options(); MUST(timadmin_client_options_set_region(o, "tokyo", NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "base_url");
        expect_options_error(region_options("mars"), TIMADMIN_STATUS_INVALID_ARGUMENT, "region");
        o = test_client_options(); MUST(timadmin_client_options_set_base_url(o, "ftp://127.0.0.1/", NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "base_url");
        o = test_client_options(); MUST(timadmin_client_options_set_base_url(o, "not a url", NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "base_url");
        o = test_client_options(); MUST(timadmin_client_options_set_timeout(o, 0.0, NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "timeout");
        o = test_client_options(); MUST(timadmin_client_options_set_rate_limit(o, -1.0, NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "rate_limit");
        o = test_client_options(); MUST(timadmin_client_options_set_usersig_lifetime(o, 5, NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "usersig_lifetime");
        o = test_client_options(); MUST(timadmin_client_options_set_identifier(o, " ", NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "identifier");
        o = test_client_options(); MUST(timadmin_client_options_set_max_response_bytes(o, 10, NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "max_response_bytes");
        o = test_client_options(); MUST(timadmin_client_options_set_max_in_flight(o, 0, NULL));
        expect_options_error(o, TIMADMIN_STATUS_INVALID_ARGUMENT, "max_in_flight");
    }

    /* what the setters themselves refuse: NULL, invalid UTF-8, numbers no setting can hold */
    {
        timadmin_client_options *o = timadmin_client_options_new();
        CHECK(o != NULL);
        const struct {
            string_setter set;
            const char *field;
        } strings[] = {
            {timadmin_client_options_set_secret_key, "secret_key"},
            {timadmin_client_options_set_usersig, "usersig"},
            {timadmin_client_options_set_identifier, "identifier"},
            {timadmin_client_options_set_region, "region"},
            {timadmin_client_options_set_base_url, "base_url"},
            {timadmin_client_options_set_rate_limit_redis_url, "rate_limit_redis_url"},
        };
        for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
            expect_setter_error(strings[i].set(o, INVALID_UTF8, &err), &err, TIMADMIN_STATUS_INVALID_ARGUMENT,
                                strings[i].field);
            expect_setter_error(strings[i].set(o, NULL, &err), &err, TIMADMIN_STATUS_NULL_PARAMETER,
                                strings[i].field);
            expect_setter_error(strings[i].set(NULL, "x", &err), &err, TIMADMIN_STATUS_NULL_PARAMETER, "options");
        }
        expect_setter_error(timadmin_client_options_set_timeout(o, -1.0, &err), &err,
                            TIMADMIN_STATUS_INVALID_ARGUMENT, "timeout");
        expect_setter_error(timadmin_client_options_set_timeout(o, 0.0 / 0.0, &err), &err,
                            TIMADMIN_STATUS_INVALID_ARGUMENT, "timeout");
        expect_setter_error(timadmin_client_options_set_usersig_lifetime(o, 1e300, &err), &err,
                            TIMADMIN_STATUS_INVALID_ARGUMENT, "usersig_lifetime");
        expect_setter_error(timadmin_client_options_set_redis_fallback(o, 7, &err), &err,
                            TIMADMIN_STATUS_INVALID_ARGUMENT, "redis_fallback");
        expect_setter_error(timadmin_client_options_set_sdkappid(NULL, 1, &err), &err,
                            TIMADMIN_STATUS_NULL_PARAMETER, "options");
        expect_setter_error(timadmin_client_options_set_rate_limit_off(NULL, &err), &err,
                            TIMADMIN_STATUS_NULL_PARAMETER, "options");
        /* error_out may be NULL */
        CHECK(timadmin_client_options_set_max_retries(NULL, 1, NULL) == TIMADMIN_STATUS_NULL_PARAMETER);
        timadmin_client_options_free(o);
        timadmin_client_options_free(NULL);
    }

    /* NULL arguments */
    {
        timadmin_client_options *o = test_client_options();
        CHECK_STATUS(timadmin_client_new(NULL, &client, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), "options");
        reset_error(&err);
        CHECK_STATUS(timadmin_client_new(o, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), "client_out");
        reset_error(&err);
        CHECK_STATUS(timadmin_client_new(o, NULL, NULL), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK(client == NULL);
        CHECK(timadmin_client_sdkappid(NULL) == 0);
        CHECK(timadmin_client_identifier(NULL) == NULL);
        timadmin_client_free(NULL);
        timadmin_client_options_free(o);
    }

    /* nothing listens on the discard port: a transport error, after the configured retries */
    {
        timadmin_client_options *o = test_client_options();
        MUST(timadmin_client_options_set_base_url(o, "http://127.0.0.1:9", NULL));
        MUST(timadmin_client_options_set_max_retries(o, 0, NULL));
        client = test_client_from(o);
        CHECK_STATUS(probe(client, &err), TIMADMIN_STATUS_TRANSPORT, err);
        CHECK(timadmin_error_is_retryable(err));
        CHECK(timadmin_error_api_code(err) == 0);
        CHECK_STREQ(timadmin_error_api_info(err), "");
        reset_error(&err);
        timadmin_client_free(client);
        client = NULL;
    }

    return test_finish("test_client");
}
