import EntativaCore
import EntativaModels
import Foundation
import Hummingbird

/// The pages mailed links open: `/verify-email?token=…` and `/reset-password?token=…`. Opening a
/// link only shows a form; the change happens when the person submits it, because mail
/// scanners and link previews fetch links without anyone clicking. The JSON routes under
/// `/api/v1/auth` do the same for apps that handle the links themselves.
struct LinkPages {
    let env: IdentityEnvironment

    func register(anyone: APIRoutes<AppRequestContext>) {
        let env = self.env
        let tokenQuery = [QueryParameter("token", Schema.string(minLength: 1, maxLength: 200), required: true, description: "The token from the mail")]
        anyone.add(.get, "/verify-email", Self.page("verifyEmailPage", "The page a verification mail links to", query: tokenQuery)) { request, _ in
            let token = try Self.token(in: request)
            return HTMLPage(title: "Confirm your email", body: """
                <p>Confirm that this address belongs to your \(HTMLPage.escape(env.kernel.config.instanceName)) account.</p>
                <form method="post" action="/verify-email"><input type="hidden" name="token" value="\(HTMLPage.escape(token))">
                <button type="submit">Confirm my email</button></form>
                """)
        }
        anyone.add(.post, "/verify-email", Self.form("submitVerifyEmailPage", "Confirm an email address from the page", schema: "EmailVerificationForm")) { request, context in
            let fields = try await HTMLPage.formFields(of: request)
            do {
                try await EmailVerification(env: env).verify(EmailVerificationRequest(token: fields["token"] ?? ""), client: context.client)
            } catch let error as AppError where error.status < 500 {
                return Self.failure(error, title: "This link did not work")
            }
            return HTMLPage(title: "Email confirmed", body: "<p>Thank you: your email address is confirmed. You can close this page.</p>")
        }
        anyone.add(.get, "/reset-password", Self.page("resetPasswordPage", "The page a password-reset mail links to", query: tokenQuery)) { request, _ in
            let token = try Self.token(in: request)
            return HTMLPage(title: "Choose a new password", body: """
                <form method="post" action="/reset-password"><input type="hidden" name="token" value="\(HTMLPage.escape(token))">
                <label>New password<input type="password" name="password" autocomplete="new-password" minlength="10" required></label>
                <button type="submit">Set my new password</button></form>
                <p>Every device signed in to your account will be signed out.</p>
                """)
        }
        anyone.add(.post, "/reset-password", Self.form("submitResetPasswordPage", "Set a new password from the page", schema: "PasswordResetForm")) { request, context in
            let fields = try await HTMLPage.formFields(of: request)
            let form = PasswordResetConfirmation(token: fields["token"] ?? "", password: fields["password"] ?? "")
            do {
                try await Passwords(env: env).reset(form, client: context.client)
            } catch let error as AppError where error.status < 500 {
                return Self.failure(error, title: "Your password was not changed")
            }
            return HTMLPage(title: "Password changed", body: "<p>Your new password is set. Sign in with it in the app.</p>")
        }
        env.kernel.document.addSchema("EmailVerificationForm", Schema.object(["token": Schema.string(maxLength: 200)], required: ["token"]))
        env.kernel.document.addSchema(
            "PasswordResetForm", Schema.object(["token": Schema.string(maxLength: 200), "password": Schema.string(maxLength: 1024)], required: ["token", "password"]))
    }

    static func token(in request: Request) throws -> String {
        guard let token = request.uri.queryParameters["token"].map(String.init), !token.isEmpty, token.utf8.count <= 200 else {
            throw AppError.invalid(field: "token", code: "required", message: "is the token from the mail")
        }
        return token
    }

    /// A refusal shown as a page with the refusal's status, so the person reads what went wrong.
    static func failure(_ error: AppError, title: String) -> HTMLPage {
        let reasons = error.fieldErrors.isEmpty ? [error.detail ?? error.title] : error.fieldErrors.map { "\($0.field): \($0.message)" }
        return HTMLPage(
            status: .init(code: error.status), title: title,
            body: "<ul>" + reasons.map { "<li>\(HTMLPage.escape($0))</li>" }.joined() + "</ul><p>Ask for a new link in the app if this one has expired.</p>")
    }

    static func page(_ id: String, _ summary: String, query: [QueryParameter]) -> APIOperation {
        var operation = APIOperation(id, summary, tag: "pages", access: .anyone, response: "HTMLText", query: query)
        operation.responseContentType = "text/html"
        return operation
    }

    static func form(_ id: String, _ summary: String, schema: String) -> APIOperation {
        var operation = APIOperation(
            id, summary, tag: "pages", access: .anyone, body: schema, response: "HTMLText",
            description: "Answers an HTML page; a refused token or password is a page with the refusal's status.")
        operation.bodyContentType = "application/x-www-form-urlencoded"
        operation.responseContentType = "text/html"
        operation.errorsMayBeHTML = true
        return operation
    }
}
