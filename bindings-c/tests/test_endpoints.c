/* The three endpoints: requests built with their opaque builders (optional fields set and
 * unset, refusals by setters naming the REST field), typed results, service
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
    timadmin_get_group_member_info_request *req = test_member_info_request("@TGS#2DEMOPUB");
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_member_info_request_free(req);
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
    req = test_member_info_request("@TGS#2DEMOPUB");
    MUST(timadmin_get_group_member_info_request_add_member_info_filter(req, "Role", NULL));
    MUST(timadmin_get_group_member_info_request_add_member_info_filter(req, "NameCard", NULL));
    MUST(timadmin_get_group_member_info_request_add_member_role_filter(req, "Member", NULL));
    MUST(timadmin_get_group_member_info_request_add_app_defined_data_filter_group_member(req, "MemberDefined2", NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_member_info_request_free(req);
    r = result;
    CHECK(r != NULL && r->member_list_len == 3);
    for (size_t i = 0; r != NULL && i < r->member_list_len; i++) {
        const timadmin_group_member *m = &r->member_list[i];
        CHECK(m->role == TIMADMIN_ROLE_MEMBER);
        CHECK(!m->has_join_time && !m->has_msg_seq && m->msg_flag == NULL);
    }
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    req = test_member_info_request("@TGS#2DEMOPUB");
    MUST(timadmin_get_group_member_info_request_set_limit(req, 2, NULL));
    MUST(timadmin_get_group_member_info_request_set_offset(req, 4, NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    r = result;
    CHECK(r != NULL && r->member_num == 5 && r->member_list_len == 1);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;
    /* a request is only read by the call: the same one again gives the same page */
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    CHECK(result != NULL && result->member_list_len == 1);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;
    timadmin_get_group_member_info_request_free(req);

    /* community group: Next cursor */
    req = test_member_info_request("@TGS#_demo");
    MUST(timadmin_get_group_member_info_request_set_limit(req, 2, NULL));
    MUST(timadmin_get_group_member_info_request_set_next(req, "", NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_member_info_request_free(req);
    r = result;
    CHECK(r != NULL && r->member_list_len == 2 && r->member_num == 5);
    CHECK(r != NULL && r->next != NULL && strlen(r->next) > 0);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    /* community group, first page without a cursor: the core sends Next "" */
    req = test_member_info_request("@TGS#_demo");
    MUST(timadmin_get_group_member_info_request_set_limit(req, 3, NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_member_info_request_free(req);
    r = result;
    CHECK(r != NULL && r->member_list_len == 3 && r->next != NULL && strlen(r->next) > 0);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;

    /* a cursor on an ordinary group is refused before anything is sent */
    req = test_member_info_request("@TGS#2DEMOPUB");
    MUST(timadmin_get_group_member_info_request_set_next(req, "", NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    timadmin_get_group_member_info_request_free(req);
    CHECK(err != NULL && strcmp(timadmin_error_field(err), "Next") == 0);
    reset_error(&err);

    /* unknown group: the service's 10010 */
    req = test_member_info_request("@TGS#2NOSUCHGROUP");
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err),
                 TIMADMIN_STATUS_API, err);
    timadmin_get_group_member_info_request_free(req);
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

    /* invalid values, refused by the core when the call is made, before any network call */
    req = test_member_info_request("@TGS#2DEMOPUB");
    MUST(timadmin_get_group_member_info_request_set_limit(req, 0, NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    timadmin_get_group_member_info_request_free(req);
    CHECK_STREQ(timadmin_error_field(err), "Limit");
    reset_error(&err);
    req = test_member_info_request("@TGS#2DEMOPUB");
    MUST(timadmin_get_group_member_info_request_add_member_role_filter(req, "King", NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    timadmin_get_group_member_info_request_free(req);
    CHECK_STREQ(timadmin_error_field(err), "MemberRoleFilter");
    reset_error(&err);
    req = test_member_info_request("@TGS#_demo");
    MUST(timadmin_get_group_member_info_request_set_offset(req, 1, NULL));
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    timadmin_get_group_member_info_request_free(req);
    CHECK_STREQ(timadmin_error_field(err), "Offset");
    reset_error(&err);
    req = test_member_info_request("");
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    timadmin_get_group_member_info_request_free(req);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);

    /* invalid UTF-8 and NULL strings: refused by the constructor and setters, naming the REST
     * field; the request is left unchanged and NULL objects are refused by their C name */
    req = NULL;
    CHECK_STATUS(timadmin_get_group_member_info_request_new(INVALID_UTF8, &req, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK(req == NULL);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_new(NULL, &req, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK(req == NULL);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_new("@TGS#2DEMOPUB", NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request_out");
    reset_error(&err);
    req = test_member_info_request("@TGS#_demo");
    CHECK_STATUS(timadmin_get_group_member_info_request_set_next(req, INVALID_UTF8, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "Next");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_set_next(req, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "Next");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_add_member_info_filter(req, INVALID_UTF8, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberInfoFilter");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_add_member_info_filter(req, NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberInfoFilter");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_add_member_role_filter(req, NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "MemberRoleFilter");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_add_app_defined_data_filter_group_member(req, INVALID_UTF8, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "AppDefinedDataFilter_GroupMember");
    reset_error(&err);
    /* the refused values were not kept: the request still works */
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    CHECK(result != NULL && result->member_list_len == 5);
    timadmin_get_group_member_info_response_free(result);
    result = NULL;
    CHECK_STATUS(timadmin_get_group_member_info_request_set_limit(NULL, 1, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_member_info_request_add_member_info_filter(NULL, "Role", &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);

    /* NULL arguments of the call */
    CHECK_STATUS(timadmin_client_get_group_member_info(NULL, req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "client");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_member_info(client, NULL, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_member_info(client, req, NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "response_out");
    reset_error(&err);
    timadmin_get_group_member_info_request_free(req);
    timadmin_get_group_member_info_request_free(NULL);
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
    timadmin_get_group_muted_account_request *req = test_muted_request("@TGS#2DEMOPUB");

    CHECK_STATUS(timadmin_client_get_group_muted_account(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_muted_account_request_free(req);
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
    req = test_muted_request("@TGS#_demo");
    MUST(timadmin_get_group_muted_account_request_set_topic_id(req, "@TGS#_demo@TOPIC#_news", NULL));
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_muted_account_request_free(req);
    r = result;
    CHECK(r != NULL && has_account(r, "m1") && !has_account(r, "m3"));
    timadmin_get_group_muted_account_response_free(result);
    result = NULL;

    /* a group nobody is muted in: empty list, NULL array */
    req = test_muted_request("@TGS#1DEMOWORK");
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, req, &result, &err), TIMADMIN_STATUS_OK, err);
    timadmin_get_group_muted_account_request_free(req);
    r = result;
    CHECK(r != NULL && r->muted_account_list_len == 0 && r->muted_account_list == NULL);
    timadmin_get_group_muted_account_response_free(result);
    result = NULL;

    /* errors */
    req = test_muted_request("@TGS#2NOSUCHGROUP");
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, req, &result, &err),
                 TIMADMIN_STATUS_API, err);
    timadmin_get_group_muted_account_request_free(req);
    CHECK(timadmin_error_api_code(err) == 10010);
    reset_error(&err);
    req = test_muted_request("@TGS#_demo");
    MUST(timadmin_get_group_muted_account_request_set_topic_id(req, "", NULL));
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, req, &result, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    timadmin_get_group_muted_account_request_free(req);
    CHECK_STREQ(timadmin_error_field(err), "TopicId");
    reset_error(&err);
    req = test_muted_request("@TGS#_demo");
    CHECK_STATUS(timadmin_get_group_muted_account_request_set_topic_id(req, INVALID_UTF8, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "TopicId");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_muted_account_request_set_topic_id(req, NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "TopicId");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_muted_account_request_set_topic_id(NULL, "t", &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);
    timadmin_get_group_muted_account_request_free(req);
    req = NULL;
    CHECK_STATUS(timadmin_get_group_muted_account_request_new(INVALID_UTF8, &req, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK_STATUS(timadmin_get_group_muted_account_request_new(NULL, &req, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK(req == NULL);
    req = test_muted_request("@TGS#2DEMOPUB");
    CHECK_STATUS(timadmin_client_get_group_muted_account(NULL, req, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, NULL, &result, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    reset_error(&err);
    CHECK_STATUS(timadmin_client_get_group_muted_account(client, req, NULL, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "response_out");
    reset_error(&err);
    timadmin_get_group_muted_account_request_free(req);
    timadmin_get_group_muted_account_request_free(NULL);
    CHECK(result == NULL);
    timadmin_get_group_muted_account_response_free(NULL);
}

static void test_modify(const timadmin_client *client) {
    timadmin_error *err = NULL;

    /* nothing but the group: accepted, nothing changes */
    timadmin_modify_group_base_info_request *req = test_modify_request("@TGS#2MODIFYME");
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, req, &err), TIMADMIN_STATUS_OK, err);

    /* every field */
    MUST(timadmin_modify_group_base_info_request_set_name(req, "Renamed by C", NULL));
    MUST(timadmin_modify_group_base_info_request_set_introduction(req, "intro", NULL));
    MUST(timadmin_modify_group_base_info_request_set_notification(req, "notice", NULL));
    MUST(timadmin_modify_group_base_info_request_set_face_url(req, "https://example.invalid/face.png", NULL));
    MUST(timadmin_modify_group_base_info_request_set_max_member_num(req, 500, NULL));
    MUST(timadmin_modify_group_base_info_request_set_apply_join_option(req, TIMADMIN_APPLY_JOIN_OPTION_NEED_PERMISSION, NULL));
    MUST(timadmin_modify_group_base_info_request_set_shut_up_all_member(req, true, NULL));
    MUST(timadmin_modify_group_base_info_request_add_app_defined_data(req, "Color", "blue", NULL));
    MUST(timadmin_modify_group_base_info_request_add_app_defined_data(req, "Stale", NULL, NULL));
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, req, &err), TIMADMIN_STATUS_OK, err);
    /* setting a field again replaces it */
    MUST(timadmin_modify_group_base_info_request_set_shut_up_all_member(req, false, NULL));
    MUST(timadmin_modify_group_base_info_request_set_apply_join_option(req, TIMADMIN_APPLY_JOIN_OPTION_FREE_ACCESS, NULL));
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, req, &err), TIMADMIN_STATUS_OK, err);
    timadmin_modify_group_base_info_request_free(req);

    /* validation by the core when the call is made, before any network call */
    timadmin_modify_group_base_info_request *bad = test_modify_request("@TGS#2MODIFYME");
    MUST(timadmin_modify_group_base_info_request_set_name(bad, "a name that is much longer than thirty bytes", NULL));
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "Name");
    reset_error(&err);
    timadmin_modify_group_base_info_request_free(bad);
    bad = test_modify_request("@TGS#2MODIFYME");
    MUST(timadmin_modify_group_base_info_request_set_max_member_num(bad, 0, NULL));
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "MaxMemberNum");
    reset_error(&err);
    timadmin_modify_group_base_info_request_free(bad);
    bad = test_modify_request("@TGS#2MODIFYME");
    MUST(timadmin_modify_group_base_info_request_add_app_defined_data(bad, "k", "1", NULL));
    MUST(timadmin_modify_group_base_info_request_add_app_defined_data(bad, "k", "2", NULL));
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, bad, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "AppDefinedData");
    reset_error(&err);
    timadmin_modify_group_base_info_request_free(bad);

    /* setters refuse what the C types cannot hold, naming the REST field */
    bad = test_modify_request("@TGS#2MODIFYME");
    CHECK_STATUS(timadmin_modify_group_base_info_request_set_apply_join_option(bad, 99, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "ApplyJoinOption");
    reset_error(&err);
    CHECK_STATUS(timadmin_modify_group_base_info_request_set_apply_join_option(bad, 0, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    reset_error(&err);
    typedef timadmin_status (*string_setter)(timadmin_modify_group_base_info_request *, const char *,
                                             timadmin_error **);
    string_setter setters[] = {timadmin_modify_group_base_info_request_set_name,
                               timadmin_modify_group_base_info_request_set_introduction,
                               timadmin_modify_group_base_info_request_set_notification,
                               timadmin_modify_group_base_info_request_set_face_url};
    const char *names[] = {"Name", "Introduction", "Notification", "FaceUrl"}; /* core's names */
    for (size_t i = 0; i < 4; i++) {
        CHECK_STATUS(setters[i](bad, INVALID_UTF8, &err), TIMADMIN_STATUS_INVALID_ARGUMENT, err);
        CHECK_STREQ(timadmin_error_field(err), names[i]);
        reset_error(&err);
        CHECK_STATUS(setters[i](bad, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), names[i]);
        reset_error(&err);
        CHECK_STATUS(setters[i](NULL, "x", &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
        CHECK_STREQ(timadmin_error_field(err), "request");
        reset_error(&err);
    }
    CHECK_STATUS(timadmin_modify_group_base_info_request_add_app_defined_data(bad, NULL, "v", &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "AppDefinedData");
    reset_error(&err);
    CHECK_STATUS(timadmin_modify_group_base_info_request_add_app_defined_data(bad, "k", INVALID_UTF8, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "AppDefinedData");
    reset_error(&err);
    CHECK_STATUS(timadmin_modify_group_base_info_request_set_max_member_num(NULL, 1, &err),
                 TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);
    /* nothing refused was kept: the request changes nothing and is accepted */
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, bad, &err), TIMADMIN_STATUS_OK, err);
    timadmin_modify_group_base_info_request_free(bad);
    bad = NULL;
    CHECK_STATUS(timadmin_modify_group_base_info_request_new(INVALID_UTF8, &bad, &err),
                 TIMADMIN_STATUS_INVALID_ARGUMENT, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK_STATUS(timadmin_modify_group_base_info_request_new(NULL, &bad, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "GroupId");
    reset_error(&err);
    CHECK(bad == NULL);
    bad = test_modify_request("@TGS#2MODIFYME");
    CHECK_STATUS(timadmin_client_modify_group_base_info(NULL, bad, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "client");
    reset_error(&err);
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, NULL, &err), TIMADMIN_STATUS_NULL_PARAMETER, err);
    CHECK_STREQ(timadmin_error_field(err), "request");
    reset_error(&err);
    timadmin_modify_group_base_info_request_free(bad);
    timadmin_modify_group_base_info_request_free(NULL);

    /* unknown group */
    bad = test_modify_request("@TGS#2NOSUCHGROUP");
    MUST(timadmin_modify_group_base_info_request_set_name(bad, "x", NULL));
    CHECK_STATUS(timadmin_client_modify_group_base_info(client, bad, &err), TIMADMIN_STATUS_API, err);
    CHECK(timadmin_error_api_code(err) == 10010);
    reset_error(&err);
    timadmin_modify_group_base_info_request_free(bad);
}

int main(void) {
    timadmin_client *client = test_client();
    test_member_info(client);
    test_muted_account(client);
    test_modify(client);
    timadmin_client_free(client);
    return test_finish("test_endpoints");
}
