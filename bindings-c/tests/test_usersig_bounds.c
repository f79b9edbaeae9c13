/* timadmin_generate_usersig refuses what timadmin_verify_usersig or the service would refuse: an
 * identifier over 32 bytes of UTF-8 or a userbuf over 32 KiB, with TIMADMIN_STATUS_INVALID_ARGUMENT
 * naming the field, and writes no token. The largest token it makes verifies. */
#include "common.h"

#define MAX_IDENTIFIER_BYTES 32
#define MAX_USERBUF_BYTES (32 * 1024)

static void expect_invalid(timadmin_status status, timadmin_error **err, timadmin_string *sig,
                           const char *field, const char *key) {
    CHECK(status == TIMADMIN_STATUS_INVALID_ARGUMENT);
    CHECK(sig == NULL);
    CHECK(*err != NULL && timadmin_error_status(*err) == TIMADMIN_STATUS_INVALID_ARGUMENT);
    CHECK(*err != NULL && strcmp(timadmin_error_field(*err), field) == 0);
    CHECK(*err != NULL && strstr(timadmin_error_message(*err), key) == NULL);
    reset_error(err);
}

int main(void) {
    const uint64_t app = test_sdkappid();
    const char *key = test_key();
    timadmin_error *err = NULL;
    timadmin_string *sig = NULL;
    timadmin_claims *verified = NULL;
    char identifier[49001];
    static uint8_t userbuf[MAX_USERBUF_BYTES + 1];
    timadmin_status status;

    /* 32 bytes: signed and verified; 33 bytes and the ~49 KB of the issue: refused. */
    memset(identifier, 'a', MAX_IDENTIFIER_BYTES);
    identifier[MAX_IDENTIFIER_BYTES] = '\0';
    CHECK_STATUS(timadmin_generate_usersig(app, key, identifier, 600, NULL, 0, &sig, &err), TIMADMIN_STATUS_OK, err);
    timadmin_string_free(sig);
    sig = NULL;
    identifier[MAX_IDENTIFIER_BYTES] = 'a';
    identifier[MAX_IDENTIFIER_BYTES + 1] = '\0';
    status = timadmin_generate_usersig(app, key, identifier, 600, NULL, 0, &sig, &err);
    expect_invalid(status, &err, sig, "identifier", key);
    memset(identifier, 'a', sizeof identifier - 1);
    identifier[sizeof identifier - 1] = '\0';
    status = timadmin_generate_usersig(app, key, identifier, 600, NULL, 0, &sig, &err);
    expect_invalid(status, &err, sig, "identifier", key);

    /* The longest JSON identifier (32 escaped quotes) with the largest userbuf verifies. */
    memset(identifier, '"', MAX_IDENTIFIER_BYTES);
    identifier[MAX_IDENTIFIER_BYTES] = '\0';
    for (size_t i = 0; i < sizeof userbuf; i++) userbuf[i] = (uint8_t)(i * 7 % 251);
    CHECK_STATUS(timadmin_generate_usersig(app, key, identifier, 600, userbuf, MAX_USERBUF_BYTES, &sig, &err),
                 TIMADMIN_STATUS_OK, err);
    CHECK(sig != NULL && timadmin_string_len(sig) <= 64 * 1024);
    if (sig != NULL) {
        CHECK_STATUS(timadmin_verify_usersig(app, key, identifier, timadmin_string_get(sig), userbuf,
                                             MAX_USERBUF_BYTES, &verified, &err),
                     TIMADMIN_STATUS_OK, err);
        CHECK(verified != NULL && verified->has_userbuf && verified->userbuf_len == MAX_USERBUF_BYTES);
        timadmin_claims_free(verified);
        timadmin_string_free(sig);
        sig = NULL;
    }
    /* One byte more: refused. */
    status = timadmin_generate_usersig(app, key, "alice", 600, userbuf, MAX_USERBUF_BYTES + 1, &sig, &err);
    expect_invalid(status, &err, sig, "userbuf", key);

    return test_finish("test_usersig_bounds");
}
