/* The three endpoints: typed requests (optional fields set and unset), typed results, service
 * errors, validation errors before any network call, NULL arguments, invalid UTF-8. */
#include "common.h"

static const timadmin_group_member *find_member(const timadmin_get_group_member_info_response *r,
                                                const char *account) {
    for (size_t i = 0; i < r->member_list_len; i++) {
        if (strcmp(r->member_list[i].member_account, account) == 0) {
            return &r->member_list[i];
        }
    }
    return NULL;
}

static void test_member_info(const timadmin_client *client) {
    timadmin_error *err = NULL;
    timadmin_get_group_member_info_response *result = NULL;

    /* all fields */
    timadmin_get_group_member_info_request req = {0};
    req.group_id = "@TGS#2DEMOPUB";
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    const timadmin_get_group_member_info_response *r = result;
    CHECK(r != NULL && r->member_num == 5 && r->member_list_len == 5);
    CHECK(r != NULL && r->next == NULL);
    const timadmin_group_member *bob = r ? find_member(r, "bob") : NULL;
    CHECK(bob != NULL);
    if (bob != NULL) {
        CHECK(bob->role == TIMADMIN_ROLE_OWNER);
        CHECK(bob->role_other == NULL);
        CHECK_STREQ(timadmin_role_as_str(bob->role), "Owner");
        CHECK(bob->has_join_time && bob->join_time == 1425976500);
        CHECK(bob->has_msg_seq && bob->msg_seq == 1233);
        CHECK_STREQ(bob->msg_flag, "AcceptAndNotify");
        CHECK(bob->has_last_send_msg_time && bob->last_send_msg_time == 1425976500);
        CHECK(bob->has_mute_until && bob->mute_until == 0);
        CHECK_STREQ(bob->name_card, "Bob");
        CHECK(bob->has_app_member_defined_data && bob->app_member_defined_data_len == 2);
        if (bob->app_member_defined_data_len == 2) {
            CHECK_STREQ(bob->app_member_defined_data[0].key, "MemberDefined1");
            CHECK_STREQ(bob->app_member_defined_data[0].value, "ModifyDefined1");
            CHECK_STREQ(bob->app_member_defined_data[1].key, "MemberDefined2");
        }
    }
    const timadmin_group_member *peter = r ? find_member(r, "peter") : NULL;
    CHECK(peter != NULL && peter->role == TIMADMIN_ROLE_MEMBER);
    CHECK(peter != NULL && peter->mute_until == 4294967295u);
    const timadmin_group_member *alice = r ? find_member(r, "alice") : NULL;
    CHECK(alice != NULL && alice->role == TIMADMIN_ROLE_ADMIN);
    CHECK_STREQ(timadmin_role_as_str(TIMADMIN_ROLE_ADMIN), "Admin");
    CHECK_STREQ(timadmin_role_as_str(TIMADMIN_ROLE_MEMBER), "Member");
    CHECK(timadmin_role_as_str(TIMADMIN_ROLE_UNSET) == NULL && timadmin_role_as_str(TIMADMIN_ROLE_OTHER) == NULL);
    CHECK(timadmin_role_as_str(42) == NULL);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    /* MemberInfoFilter / MemberRoleFilter / AppDefinedDataFilter_GroupMember, Limit, Offset */
    const char *fields[] = {"Role", "NameCard"};
    const char *roles[] = {"Member"};
    const char *keys[] = {"MemberDefined2"};
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.member_info_filter = fields;
    req.member_info_filter_len = 2;
    req.member_role_filter = roles;
    req.member_role_filter_len = 1;
    req.app_defined_data_filter_group_member = keys;
    req.app_defined_data_filter_group_member_len = 1;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    r = result;
    CHECK(r != NULL && r->member_list_len == 3);
    for (size_t i = 0; r != NULL && i < r->member_list_len; i++) {
        const timadmin_group_member *m = &r->member_list[i];
        CHECK(m->role == TIMADMIN_ROLE_MEMBER);
        CHECK(!m->has_join_time && !m->has_msg_seq && m->msg_flag == NULL);
    }
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.has_limit = true;
    req.limit = 2;
    req.has_offset = true;
    req.offset = 4;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    r = result;
    CHECK(r != NULL && r->member_num == 5 && r->member_list_len == 1);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    /* community group: Next cursor */
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#_demo";
    req.has_limit = true;
    req.limit = 2;
    req.next = "";
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    r = result;
    CHECK(r != NULL && r->member_list_len == 2 && r->member_num == 5);
    CHECK(r != NULL && r->next != NULL && strlen(r->next) > 0);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    /* community group, first page without a cursor: the core sends Next "" */
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#_demo";
    req.has_limit = true;
    req.limit = 3;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    r = result;
    CHECK(r != NULL && r->member_list_len == 3 && r->next != NULL && strlen(r->next) > 0);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    /* a cursor on an ordinary group is refused before anything is sent */
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.next = "";
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK(err != NULL && strcmp(timadmin_error_field(err), "Next") == 0);
    reset_error(&err);

    /* unknown group: the service's 10010 */
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2NOSUCHGROUP";
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_API, err);
    CHECK(result == NULL);
    CHECK(timadmin_error_status(err) == TIMADMIN_STATUS_API);
    CHECK(timadmin_error_api_code(err) == 10010);
    CHECK(err != NULL && strlen(timadmin_error_api_info(err)) > 0);
    CHECK_STREQ(timadmin_error_api_kind(err), "group_not_found");
    CHECK_STREQ(timadmin_error_api_description(err), "the group does not exist or was deleted");
    CHECK(err != NULL && strstr(timadmin_error_message(err), "10010") != NULL);
    CHECK(!timadmin_error_is_retryable(err));
    CHECK(timadmin_error_http_status(err) == 0);
    reset_error(&err);

    /* invalid arguments, rejected before any network call (the core validates) */
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.has_limit = true;
    req.limit = 0;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "Limit");
    reset_error(&err);
    const char *bad_roles[] = {"King"};
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.member_role_filter = bad_roles;
    req.member_role_filter_len = 1;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberRoleFilter");
    reset_error(&err);
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#_demo";
    req.has_offset = true;
    req.offset = 1;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "Offset");
    reset_error(&err);
    memset(&req, 0, sizeof req);
    req.group_id = "";
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);

    /* invalid UTF-8 in every string field */
    const char *bad_utf8_list[] = {INVALID_UTF8};
    memset(&req, 0, sizeof req);
    req.group_id = INVALID_UTF8;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#_demo";
    req.next = INVALID_UTF8;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "Next");
    reset_error(&err);
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.member_info_filter = bad_utf8_list;
    req.member_info_filter_len = 1;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberInfoFilter");
    reset_error(&err);

    /* NULL arguments: every pointer parameter and pointer field */
    const char *null_list[] = {"Role", NULL};
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    CHECK_STATUS(timadmin_client_get_group_member_info(NULL, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "client");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_member_info(client, NULL, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "response_out");
    reset_error(&err);
    req.group_id = NULL;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "group_id");
    reset_error(&err);
    req.group_id = "@TGS#2DEMOPUB";
    req.member_info_filter = null_list;
    req.member_info_filter_len = 2;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "member_info_filter[1]");
    reset_error(&err);
    req.member_info_filter = NULL;
    req.member_info_filter_len = 1;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "member_info_filter");
    reset_error(&err);
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.member_role_filter_len = 1;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "member_role_filter");
    reset_error(&err);
    memset(&req, 0, sizeof req);
    req.group_id = "@TGS#2DEMOPUB";
    req.app_defined_data_filter_group_member_len = 1;
    CHECK_STATUS(timadmin_client_get_group_member_info(client, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "app_defined_data_filter_group_member");
    reset_error(&err);
    CHECK(result == NULL);
    timadmin_get_group_member_info_response_free(NULL);
}

static bool has_account(const timadmin_get_group_muted_account_response *r, const char *account) {
    for (size_t i = 0; i < r->muted_account_list_len; i++) {
        if (strcmp(r->muted_account_list[i].member_account, account) == 0) {
            return true;
        }
    }
    return false;
}

static void test_muted_account(const timadmin_client *client) {
    timadmin_error *err = NULL;
    timadmin_get_group_muted_account_response *result = NULL;
    timadmin_get_group_muted_account_request req = {0};

    req.group_id = "@TGS#2DEMOPUB";
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    const timadmin_get_group_muted_account_response *r = result;
    CHECK(r != NULL);
    if (r != NULL) {
        CHECK_STREQ(r->group_id, "@TGS#2DEMOPUB");
        CHECK(r->muted_account_list_len == 2);
        CHECK(has_account(r, "peter") && has_account(r, "tommy") && !has_account(r, "carol"));
        for (size_t i = 0; i < r->muted_account_list_len; i++) {
            if (strcmp(r->muted_account_list[i].member_account, "peter") == 0) {
                CHECK(r->muted_account_list[i].muted_until == 4294967295u);
            }
        }
    }
    timadmin_get_group_muted_account_response_free(result);
    result = NULL;

    /* a topic of a community */
    req.group_id = "@TGS#_demo";
    req.topic_id = "@TGS#_demo@TOPIC#_news";
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    r = result;
    CHECK(r != NULL && has_account(r, "m1") && !has_account(r, "m3"));
    timadmin_get_group_muted_account_response_free(result);
    result = NULL;

    /* a group nobody is muted in: empty list, NULL array */
    req.group_id = "@TGS#1DEMOWORK";
    req.topic_id = NULL;
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err), TIMADMIN_STATUS_OK, err);
    r = result;
    CHECK(r != NULL && r->muted_account_list_len == 0 && r->muted_account_list == NULL);
    timadmin_get_group_muted_account_response_free(result);
    result = NULL;

    /* errors */
    req.group_id = "@TGS#2NOSUCHGROUP";
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err),
                 TIMADMIN_STATUS_API, err);
    CHECK(timadmin_error_api_code(err) == 10010);
    reset_error(&err);
    req.group_id = "@TGS#_demo";
    req.topic_id = "";
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "TopicId");
    reset_error(&err);
    req.topic_id = INVALID_UTF8;
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "TopicId");
    reset_error(&err);
    req.topic_id = NULL;
    req.group_id = INVALID_UTF8;
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    req.group_id = NULL;
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "group_id");
    reset_error(&err);
    req.group_id = "@TGS#2DEMOPUB";
    CHECK_STATUS(timadmin_client_get_group_muted_account(NULL, &req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, NULL, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, &req, NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "response_out");
    reset_error(&err);
    CHECK(result == NULL);
    timadmin_get_group_muted_account_response_free(NULL);
}

static void test_modify(const timadmin_client *client) {
    timadmin_error *err = NULL;
    timadmin_modify_group_base_info_request req = {0};

    /* nothing but the group: accepted, nothing changes */
    req.group_id = "@TGS#2MODIFYME";
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &req, &err), TIMADMIN_STATUS_OK, err);

    /* every field */
    timadmin_app_defined_data_update updates[] = {{"Color", "blue"}, {"Stale", NULL}};
    req.name = "Renamed by C";
    req.introduction = "intro";
    req.notification = "notice";
    req.face_url = "https://example.invalid/face.png";
    req.has_max_member_num = true;
    req.max_member_num = 500;
    req.apply_join_option = TIMADMIN_APPLY_JOIN_OPTION_NEED_PERMISSION;
    req.has_shut_up_all_member = true;
    req.shut_up_all_member = true;
    req.app_defined_data = updates;
    req.app_defined_data_len = 2;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &req, &err), TIMADMIN_STATUS_OK, err);
    req.shut_up_all_member = false;
    req.apply_join_option = TIMADMIN_APPLY_JOIN_OPTION_FREE_ACCESS;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &req, &err), TIMADMIN_STATUS_OK, err);

    /* validation before any network call */
    timadmin_modify_group_base_info_request bad = {0};
    bad.group_id = "@TGS#2MODIFYME";
    bad.name = "a name that is much longer than thirty bytes";
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "Name");
    reset_error(&err);
    bad.name = NULL;
    bad.apply_join_option = 99;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "ApplyJoinOption");
    reset_error(&err);
    bad.apply_join_option = TIMADMIN_APPLY_JOIN_OPTION_UNSET;
    bad.has_max_member_num = true;
    bad.max_member_num = 0;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "MaxMemberNum");
    reset_error(&err);
    bad.has_max_member_num = false;
    timadmin_app_defined_data_update dup[] = {{"k", "1"}, {"k", "2"}};
    bad.app_defined_data = dup;
    bad.app_defined_data_len = 2;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "AppDefinedData");
    reset_error(&err);

    /* invalid UTF-8 and NULL in every string field */
    const char **fields[] = {&bad.name, &bad.introduction, &bad.notification, &bad.face_url};
    const char *names[] = {"Name", "Introduction", "Notification", "FaceUrl"}; /* core's names, also for bad UTF-8 */
    memset(&bad, 0, sizeof bad);
    bad.group_id = "@TGS#2MODIFYME";
    for (size_t i = 0; i < 4; i++) {
        *fields[i] = INVALID_UTF8;
        CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT,
                     err);
        CHECK_STREQ(timadmin_error_field(err), names[i]);
        reset_error(&err);
        *fields[i] = NULL;
    }
    timadmin_app_defined_data_update bad_updates[] = {{NULL, "v"}, {"k", INVALID_UTF8}};
    bad.app_defined_data = &bad_updates[0];
    bad.app_defined_data_len = 1;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "app_defined_data[0].key");
    reset_error(&err);
    bad.app_defined_data = &bad_updates[1];
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "AppDefinedData");
    reset_error(&err);
    bad.app_defined_data = NULL;
    bad.app_defined_data_len = 3;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "app_defined_data");
    reset_error(&err);
    bad.app_defined_data_len = 0;
    bad.group_id = INVALID_UTF8;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    reset_error(&err);
    bad.group_id = NULL;
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "group_id");
    reset_error(&err);
    bad.group_id = "@TGS#2MODIFYME";
    CHECK_STATUS(timadmin_client_modify_group_base_info(NULL, &bad, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "client");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);

    /* unknown group */
    bad.group_id = "@TGS#2NOSUCHGROUP";
    bad.name = "x";
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, &bad, &err), TIMADMIN_STATUS_API, err);
    CHECK(timadmin_error_api_code(err) == 10010);
    reset_error(&err);
}

int main(void) {
    timadmin_client *client = test_client();
    test_member_info(client);
    test_muted_account(client);
    test_modify(client);
    timadmin_client_free(client);
    return test_finish("test_endpoints");
}
