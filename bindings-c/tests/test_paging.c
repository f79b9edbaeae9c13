/* Both paging modes over whole groups: the callback (to the end, and stopped early) and the
 * pager object (Limit/Offset and Next cursor), filters, and the error paths. The test fixture
 * holds @TGS#2BIGPUBLIC and @TGS#_big with 250 members user0000..user0249 each. */
#include "common.h"

typedef struct {
    int count;
    int stop_after; /* 0 = never stop */
    int out_of_order;
    int bad_fields;
} walk;

static bool on_member(void *userdata, const timadmin_group_member *m) {
    walk *w = userdata;
    char expected[16];
    snprintf(expected, sizeof expected, "user%04d", w->count);
    if (strcmp(m->member_account, expected) != 0) {
        w->out_of_order++;
    }
    /* the custom data says the member's index; role follows the fixture */
    if (!m->has_app_member_defined_data || m->app_member_defined_data_len != 1 ||
        atoi(m->app_member_defined_data[0].value) != w->count ||
        m->role != (w->count == 0 ? TIMADMIN_ROLE_OWNER : w->count < 3 ? TIMADMIN_ROLE_ADMIN : TIMADMIN_ROLE_MEMBER)) {
        w->bad_fields++;
    }
    w->count++;
    return w->stop_after == 0 || w->count < w->stop_after;
}

static bool count_only(void *userdata, const timadmin_group_member *m) {
    (void)m;
    (*(int *)userdata)++;
    return true;
}

static int null_userdata_calls = 0;

static bool on_member_null_ok(void *userdata, const timadmin_group_member *m) {
    CHECK(userdata == NULL);
    CHECK(m != NULL && m->member_account != NULL);
    null_userdata_calls++;
    return true;
}

static void test_callback(const timadmin_client *client) {
    timadmin_error *err = NULL;
    const char *groups[] = {"@TGS#2BIGPUBLIC", "@TGS#_big"};
    for (size_t g = 0; g < 2; g++) {
        walk w = {0, 0, 0, 0};
        CHECK_STATUS(timadmin_client_for_each_member(client, groups[g], NULL, on_member, &w, &err),
                     TIMADMIN_STATUS_OK, err);
        CHECK(w.count == 250);
        CHECK(w.out_of_order == 0);
        CHECK(w.bad_fields == 0);

        /* stopped early: no error, exactly that many members */
        walk early = {0, 7, 0, 0};
        CHECK_STATUS(timadmin_client_for_each_member(client, groups[g], NULL, on_member, &early, &err),
                     TIMADMIN_STATUS_OK, err);
        CHECK(early.count == 7);

        /* small pages and a role filter */
        timadmin_page_options *opts = timadmin_page_options_new();
        MUST(timadmin_page_options_set_page_size(opts, 1, NULL));
        MUST(timadmin_page_options_add_member_role_filter(opts, "Admin", NULL));
        MUST(timadmin_page_options_add_member_role_filter(opts, "Owner", NULL));
        int n = 0;
        CHECK_STATUS(timadmin_client_for_each_member(client, groups[g], opts, count_only, &n, &err),
                     TIMADMIN_STATUS_OK, err);
        CHECK(n == 3);
        timadmin_page_options_free(opts);
    }

    /* the demo groups */
    int n = 0;
    CHECK_STATUS(timadmin_client_for_each_member(client, "@TGS#2DEMOPUB", NULL, count_only, &n, &err),
                 TIMADMIN_STATUS_OK, err);
    CHECK(n == 5);

    /* errors */
    n = 0;
    CHECK_STATUS(timadmin_client_for_each_member(client, "@TGS#2NOSUCHGROUP", NULL, count_only, &n, &err),
                 TIMADMIN_STATUS_API, err);
    CHECK(timadmin_error_api_code(err) == 10010);
    CHECK(n == 0);
    reset_error(&err);
    timadmin_page_options *zero = timadmin_page_options_new();
    MUST(timadmin_page_options_set_page_size(zero, 0, NULL));
    CHECK_STATUS(timadmin_client_for_each_member(client, "@TGS#2DEMOPUB", zero, count_only, &n, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "page_size");
    reset_error(&err);
    timadmin_page_options_free(zero);
    timadmin_page_options *bad_role = timadmin_page_options_new();
    MUST(timadmin_page_options_add_member_role_filter(bad_role, "King", NULL));
    CHECK_STATUS(timadmin_client_for_each_member(client, "@TGS#2DEMOPUB", bad_role, count_only, &n, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberRoleFilter");
    reset_error(&err);
    timadmin_page_options_free(bad_role);
    /* the setters refuse NULL and invalid UTF-8 naming the REST field, and keep nothing */
    timadmin_page_options *refused = timadmin_page_options_new();
    CHECK_STATUS(timadmin_page_options_add_app_defined_data_filter_group_member(refused, INVALID_UTF8, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "AppDefinedDataFilter_GroupMember");
    reset_error(&err);
    CHECK_STATUS(timadmin_page_options_add_member_info_filter(refused, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberInfoFilter");
    reset_error(&err);
    CHECK_STATUS(timadmin_page_options_add_member_role_filter(refused, INVALID_UTF8, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberRoleFilter");
    reset_error(&err);
    CHECK_STATUS(timadmin_page_options_set_page_size(NULL, 1, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "options");
    reset_error(&err);
    n = 0;
    CHECK_STATUS(timadmin_client_for_each_member(client, "@TGS#2DEMOPUB", refused, count_only, &n, &err),
                 TIMADMIN_STATUS_OK, err);
    CHECK(n == 5);
    timadmin_page_options_free(refused);
    timadmin_page_options_free(NULL);
    n = 0;
    CHECK_STATUS(timadmin_client_for_each_member(client, INVALID_UTF8, NULL, count_only, &n, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_for_each_member(NULL, "@TGS#2DEMOPUB", NULL, count_only, &n, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "client");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_for_each_member(client, NULL, NULL, count_only, &n, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "group_id");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_for_each_member(client, "@TGS#2DEMOPUB", NULL, NULL, &n, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "callback");
    reset_error(&err);
    CHECK(n == 0);
    /* userdata may be NULL */
    CHECK_STATUS(timadmin_client_for_each_member(client, "@TGS#1DEMOPRIV", NULL, on_member_null_ok, NULL, &err),
                 TIMADMIN_STATUS_OK, err);
    CHECK(null_userdata_calls == 2);
}

/* Drains a pager; returns the number of members, checks order and page sizes. */
static int drain(timadmin_member_pager *pager, uint32_t page_size, int start, int *pages) {
    timadmin_error *err = NULL;
    int total = 0;
    *pages = 0;
    for (;;) {
        timadmin_member_page *page = NULL;
        CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_OK, err);
        if (page == NULL) {
            break;
        }
        const timadmin_member_page *p = page;
        CHECK(p->members_len <= page_size);
        CHECK(p->member_num == 250);
        for (size_t i = 0; i < p->members_len; i++) {
            char expected[16];
            snprintf(expected, sizeof expected, "user%04d", start + total + (int)i);
            CHECK_STREQ(p->members[i].member_account, expected);
        }
        total += (int)p->members_len;
        (*pages)++;
        timadmin_member_page_free(page);
        if (*pages > 1000) {
            break;
        }
    }
    return total;
}

static void test_pager(timadmin_client *client) {
    timadmin_error *err = NULL;
    timadmin_member_pager *pager = NULL;
    timadmin_page_options *opts = timadmin_page_options_new();
    uint64_t member_num = 0;
    int pages = 0;

    /* Limit/Offset: 250 members in pages of 100 */
    CHECK_STATUS(timadmin_client_members(client, "@TGS#2BIGPUBLIC", NULL, &pager, &err), TIMADMIN_STATUS_OK, err);
    CHECK(!timadmin_member_pager_member_num(pager, &member_num));
    CHECK(timadmin_member_pager_mode(pager) == TIMADMIN_PAGING_MODE_OFFSET);
    CHECK(timadmin_member_pager_page_size(pager) == 100);
    CHECK(!timadmin_member_pager_is_done(pager));
    CHECK(drain(pager, 100, 0, &pages) == 250);
    CHECK(pages == 3);
    CHECK(timadmin_member_pager_member_num(pager, &member_num) && member_num == 250);
    CHECK(timadmin_member_pager_fetched(pager) == 250);
    CHECK(timadmin_member_pager_is_done(pager));
    timadmin_member_pager_free(pager);
    pager = NULL;

    /* Next cursor: page size clamped to 100 for communities */
    MUST(timadmin_page_options_set_page_size(opts, 500, NULL));
    CHECK_STATUS(timadmin_client_members(client, "@TGS#_big", opts, &pager, &err), TIMADMIN_STATUS_OK, err);
    CHECK(timadmin_member_pager_mode(pager) == TIMADMIN_PAGING_MODE_CURSOR);
    CHECK(timadmin_member_pager_page_size(pager) == 100);
    CHECK(drain(pager, 100, 0, &pages) == 250);
    CHECK(pages == 3);
    CHECK(timadmin_member_pager_fetched(pager) == 250);
    timadmin_member_pager_free(pager);
    pager = NULL;

    /* a pager keeps what it needs alive: free the client half-way (on a second client) */
    {
        timadmin_client *other = test_client();
        MUST(timadmin_page_options_set_page_size(opts, 60, NULL));
        CHECK_STATUS(timadmin_client_members(other, "@TGS#_big", opts, &pager, &err), TIMADMIN_STATUS_OK, err);
        timadmin_member_page *page = NULL;
        CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_OK, err);
        CHECK(page != NULL && page->members_len == 60);
        timadmin_client_free(other);
        int rest_pages = 0;
        CHECK(drain(pager, 60, 60, &rest_pages) == 190);
        CHECK(rest_pages == 4);
        timadmin_member_page_free(page);
        timadmin_member_pager_free(pager);
        pager = NULL;
    }

    /* errors: unknown group (on the first page), position unchanged so retrying fails again */
    CHECK_STATUS(timadmin_client_members(client, "@TGS#2NOSUCHGROUP", NULL, &pager, &err), TIMADMIN_STATUS_OK, err);
    timadmin_member_page *page = NULL;
    CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_API, err);
    CHECK(timadmin_error_api_code(err) == 10010);
    reset_error(&err);
    CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_API, err);
    reset_error(&err);
    CHECK(page == NULL);
    CHECK(timadmin_member_pager_fetched(pager) == 0);
    CHECK_STATUS(timadmin_member_pager_next_page(pager, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "page_out");
    reset_error(&err);
    timadmin_member_pager_free(pager);
    pager = NULL;

    MUST(timadmin_page_options_set_page_size(opts, 0, NULL));
    CHECK_STATUS(timadmin_client_members(client, "@TGS#2DEMOPUB", opts, &pager, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "page_size");
    reset_error(&err);
    timadmin_page_options_free(opts);
    CHECK_STATUS(timadmin_client_members(client, INVALID_UTF8, NULL, &pager, &err), TIMADMIN_STATUS_INVALID_ARGUMENT,
                 err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_members(client, "", NULL, &pager, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_members(NULL, "@TGS#2DEMOPUB", NULL, &pager, &err), TIMADMIN_STATUS_NULL_PARAMETER,
                 err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_members(client, NULL, NULL, &pager, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_members(client, "@TGS#2DEMOPUB", NULL, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER,
                 err);
    CHECK_STREQ(timadmin_error_field(err), "pager_out");
    reset_error(&err);
    CHECK(pager == NULL);
    CHECK_STATUS(timadmin_member_pager_next_page(NULL, &page, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "pager");
    reset_error(&err);

    /* accessors and destructors accept NULL */
    CHECK(!timadmin_member_pager_member_num(NULL, &member_num));
    CHECK_STATUS(timadmin_client_members(client, "@TGS#2DEMOPUB", NULL, &pager, &err), TIMADMIN_STATUS_OK, err);
    CHECK_STATUS(timadmin_member_pager_next_page(pager, &page, &err), TIMADMIN_STATUS_OK, err);
    CHECK(!timadmin_member_pager_member_num(pager, NULL));
    CHECK(timadmin_member_pager_member_num(pager, &member_num) && member_num == 5);
    timadmin_member_page_free(page);
    page = NULL;
    timadmin_member_pager_free(pager);
    pager = NULL;
    CHECK(timadmin_member_pager_fetched(NULL) == 0);
    CHECK(timadmin_member_pager_page_size(NULL) == 0);
    CHECK(timadmin_member_pager_mode(NULL) == TIMADMIN_PAGING_MODE_OFFSET);
    CHECK(timadmin_member_pager_is_done(NULL));
    timadmin_member_pager_free(NULL);
    timadmin_member_page_free(NULL);
}

int main(void) {
    timadmin_client *client = test_client();
    test_callback(client);
    test_pager(client);
    timadmin_client_free(client);
    return test_finish("test_paging");
}
