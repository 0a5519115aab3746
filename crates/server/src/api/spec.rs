//! Completes the OpenAPI document that utoipa builds from the handlers with what every
//! operation shares: the error responses any request can get, a description on every response,
//! unique operation ids, and the path of the document itself.

use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, ParameterIn};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder,
};

/// Path of the OpenAPI document.
pub const DOCUMENT_PATH: &str = "/api/v1/openapi.json";

/// Tag of the operations that serve the API's own description.
const META_TAG: &str = "meta";

/// Tag of the health checks, which respond in plain text rather than with `ErrorBody`.
const HEALTH_TAG: &str = "health";

/// Adds the shared parts to a document built by utoipa.
pub fn complete(mut openapi: OpenApi) -> OpenApi {
    add_document_path(&mut openapi);
    let secured_by_default = openapi
        .security
        .as_ref()
        .is_some_and(|list| !list.is_empty());
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            if !has_tag(operation, HEALTH_TAG) {
                add_language_parameters(operation);
            }
            qualify_operation_id(operation);
            add_error_responses(operation, path, secured_by_default);
            describe_responses(operation);
        }
    }
    openapi
}

fn has_tag(operation: &Operation, tag: &str) -> bool {
    operation
        .tags
        .as_ref()
        .and_then(|tags| tags.first())
        .is_some_and(|first| first == tag)
}

/// Declares the two ways every operation takes the language of its messages: `Accept-Language`
/// and, winning over it, `?lang=`. Both are plain strings because the server ignores a value
/// that names neither vi nor en instead of rejecting the request.
fn add_language_parameters(operation: &mut Operation) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::path::{Parameter, ParameterBuilder};
    use utoipa::openapi::{Required, Type};
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let languages = || ObjectBuilder::new().schema_type(Type::String).build();
    let declared = |parameters: &[RefOr<Parameter>], name: &str, location: ParameterIn| {
        parameters.iter().any(|parameter| {
            matches!(parameter, RefOr::T(p) if p.name == name && p.parameter_in == location)
        })
    };
    if !declared(parameters, "lang", ParameterIn::Query) {
        parameters.push(
            ParameterBuilder::new()
                .name("lang")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some("Language of messages and names: vi (default) or en; any other value is ignored."))
                .schema(Some(languages()))
                .build()
                .into(),
        );
    }
    if !declared(parameters, "Accept-Language", ParameterIn::Header) {
        parameters.push(
            ParameterBuilder::new()
                .name("Accept-Language")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some("Language of messages when `lang` is absent; Vietnamese when it names neither vi nor en."))
                .schema(Some(
                    ObjectBuilder::new().schema_type(Type::String).build(),
                ))
                .build()
                .into(),
        );
    }
}

/// Prefixes the operation id with the operation's tag. utoipa names an operation after its
/// handler function, and several modules have a `list` or a `create`, but OpenAPI requires
/// unique ids.
fn qualify_operation_id(operation: &mut Operation) {
    let tag = operation
        .tags
        .as_ref()
        .and_then(|tags| tags.first())
        .cloned();
    if let (Some(tag), Some(id)) = (tag, operation.operation_id.as_mut())
        && !id.starts_with(&format!("{tag}_"))
    {
        *id = format!("{tag}_{id}");
    }
}

/// Whether the operation needs credentials: its own security list has no empty requirement,
/// or it has no list and the document requires credentials.
fn is_secured(operation: &Operation, secured_by_default: bool) -> bool {
    match &operation.security {
        None => secured_by_default,
        Some(requirements) => !requirements
            .iter()
            .any(|requirement| *requirement == SecurityRequirement::default()),
    }
}

/// Adds the error responses that come from the request's shape rather than from the handler:
/// - 400 for malformed JSON, `If-Match` or `Idempotency-Key`;
/// - 401 without valid credentials, 403 for a disabled account or a missing CSRF token;
/// - 404 for a path parameter that names no record, such as an id that is not a number;
/// - 413 and 415 for bodies, 422 for a missing, unknown or invalid field or query parameter;
/// - 500 for a server fault, 503 while the database is unavailable.
fn add_error_responses(operation: &mut Operation, path: &str, secured_by_default: bool) {
    let tag = operation
        .tags
        .as_ref()
        .and_then(|tags| tags.first())
        .map(String::as_str);
    if matches!(tag, Some(HEALTH_TAG | META_TAG)) {
        return;
    }
    let has_body = operation.request_body.is_some();
    let has_path_parameters = path.contains('{');
    let has_query_parameters = operation.parameters.as_ref().is_some_and(|list| {
        list.iter().any(|parameter| {
            matches!(parameter, RefOr::T(p) if p.parameter_in == ParameterIn::Query && p.name != "lang")
        })
    });
    let has_input = has_body
        || has_path_parameters
        || operation
            .parameters
            .as_ref()
            .is_some_and(|list| !list.is_empty());
    let mut statuses = Vec::new();
    if has_input {
        statuses.push("400");
    }
    if is_secured(operation, secured_by_default) {
        statuses.push("401");
        statuses.push("403");
    }
    if has_path_parameters {
        statuses.push("404");
    }
    if has_body {
        statuses.push("413");
        statuses.push("415");
    }
    if has_body || has_query_parameters {
        statuses.push("422");
    }
    statuses.push("500");
    statuses.push("503");
    for status in statuses {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(error_response(status)));
    }
}

fn error_response(status: &str) -> Response {
    ResponseBuilder::new()
        .description(standard_description(status))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// Fills in the missing response descriptions, which OpenAPI requires on every response.
/// Handlers describe only the special ones.
fn describe_responses(operation: &mut Operation) {
    for (status, response) in operation.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            response.description = standard_description(status).to_owned();
        }
    }
}

fn standard_description(status: &str) -> &'static str {
    match status {
        "200" => "Success",
        "201" => "Created",
        "204" => "Done; no content",
        "400" => "Malformed request: invalid JSON, If-Match, Idempotency-Key or page cursor",
        "401" => "Not logged in: credentials are missing, unknown or expired",
        "403" => {
            "The account lacks the role, body or clearance for this action or is disabled, or a session request lacks X-CSRF-Token"
        }
        "404" => {
            "Not found, or not visible to this user; also for a path parameter that names no record"
        }
        "409" => {
            "Conflict: the If-Match version is stale, or the record's current state does not allow this"
        }
        "413" => "The request body is larger than the server accepts",
        "415" => "The request body is not JSON",
        "422" => "Invalid input; `details.fields` names each invalid field",
        "500" => "Server fault; `details.error_id` identifies it in the server's log",
        "503" => "The database is unavailable",
        _ => "See the response body",
    }
}

/// Documents `GET /api/v1/openapi.json`, which is routed beside the generated routes because it
/// serves the finished document.
fn add_document_path(openapi: &mut OpenApi) {
    let operation = OperationBuilder::new()
        .tag(META_TAG)
        .summary(Some("Shows this OpenAPI 3.1 description of the API."))
        .operation_id(Some("meta_openapi"))
        .security(SecurityRequirement::default())
        .response(
            "200",
            ResponseBuilder::new()
                .description("The OpenAPI document")
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(ObjectBuilder::new()))
                        .build(),
                ),
        )
        .build();
    openapi
        .paths
        .add_path_operation(DOCUMENT_PATH, vec![HttpMethod::Get], operation);
    openapi.tags.get_or_insert_with(Vec::new).push(
        TagBuilder::new()
            .name(META_TAG)
            .description(Some("This description of the API"))
            .build(),
    );
}
