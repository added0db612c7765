/*
 * catalog_data.c - the Schannel/CAPI2 catalog's tables (see catalog.h).
 *
 * Sources (details and confidence in ../shared/reference/schannel.md):
 *  - Schannel events: the provider manifest as dumped by
 *    nasbench/EVTX-ETW-Resources (W10 1507 and W11 21H2 CSVs), message
 *    texts as Windows 10/11 render them; field positions from the manifest.
 *  - TLS alerts: RFC 5246 7.2, RFC 8446 6, RFC 7507, RFC 7301, RFC 6066,
 *    RFC 4279 and the IANA TLS Alerts registry; Schannel macro names from
 *    schannel.h (MinGW-w64 10.0, SDK 10.0.20348); the HRESULT a receiving
 *    Schannel returns from Microsoft Learn "Schannel error codes for TLS
 *    and SSL alerts".
 *  - HRESULTs and Win32 errors: winerror.h (MinGW-w64 10.0) message texts.
 *  - Error states: they are internal and undocumented; only the values
 *    with a public explanation are listed, each with its source.
 *  - CAPI2: real CAPI2 Operational records (task names and UserData roots);
 *    CAPI2 has no useful message ("For more details for this event, please
 *    refer to the Details section"), so the templates here are tracewb's
 *    own one-line summaries built from the UserData fields.
 */
#include "core/catalog.h"
#include "core/event.h"

#include <stddef.h>

/* Shorthands for the field lists. */
#define F(n, m) { n, m, NULL, 0 }
#define FC(n, m, cue, k) { n, m, cue, k }

#define M_TYPE "Which side this host played: \"client\" or \"server\"."
#define M_CALLER_IMG "The application that called SSPI (Windows 11 and Server 2022 add it; its position is not verified, read it by name)."
#define M_CALLER_PID "Process id of the application that called SSPI (Windows 11 and Server 2022)."
#define M_ERRCODE "The failure as an HRESULT (winerror.h); Schannel writes it as lowercase hex (\"0x800b0109\")."
#define M_STATE "Schannel's internal error state: opaque and not publicly documented; only a few values have a public explanation."

#define CALLER_FIELDS                                                                          \
	FC("CallerProcessImageName", M_CALLER_IMG, "SSPI client process is ", 'i'),              \
	FC("CallerProcessId", M_CALLER_PID, "(PID: ", 'n')

#define SCH "Schannel"
#define SCH_SRC "Schannel provider manifest (nasbench/EVTX-ETW-Resources, W10 1507 and W11 21H2)"

const struct cat_event cat_events[] = {
	{ SCH, SCH, 36864, EV_LEVEL_INFO, 0, "The Schannel security package loaded",
	  "The Schannel security package has loaded successfully.", NULL, SCH_SRC, 0, { { 0 } } },
	{ SCH, SCH, 36865, EV_LEVEL_ERROR, 0, "A system cryptographic module could not be opened",
	  "A fatal error occurred while opening the system %1 cryptographic module. Operations that "
	  "require the TLS protocol will fail. The error code is %2.",
	  NULL, SCH_SRC, 2,
	  { F("ModuleName", "The cryptographic module (CSP or KSP) that failed to open."),
	    FC("Error", "The error code returned by the module.", "error code is ", 'n') } },
	{ SCH, SCH, 36867, EV_LEVEL_INFO, CAT_CALLER, "A TLS credential is being created",
	  "Creating a TLS %1 credential.%C", NULL, SCH_SRC, 3,
	  { FC("Type", M_TYPE, "Creating a TLS ", 'w'), CALLER_FIELDS } },
	{ SCH, SCH, 36868, EV_LEVEL_INFO, 0, "Properties of a TLS credential's private key",
	  "The TLS %1 credential's private key has the following properties:\n\n   CSP name: %2\n   "
	  "CSP type: %3\n   Key name: %4\n   Key Type: %5\n   Key Flags: %6\n\nThe attached data "
	  "contains the certificate.",
	  NULL, SCH_SRC, 6,
	  { F("Type", M_TYPE), F("CSPName", "Name of the cryptographic provider holding the key."),
	    F("CSPType", "Provider type."), F("KeyName", "Key container name."),
	    F("KeyType", "Key specification (exchange or signature)."), F("KeyFlags", "Key flags.") } },
	{ SCH, SCH, 36869, EV_LEVEL_ERROR, CAT_CALLER, "The TLS credential's certificate has no private key",
	  "The TLS %1 credential's certificate does not have a private key information property "
	  "attached to it. This most often occurs when a certificate is backed up incorrectly and "
	  "then later restored. This message can also indicate a certificate enrollment failure.%C",
	  NULL, SCH_SRC, 3, { F("Type", M_TYPE), CALLER_FIELDS } },
	{ SCH, SCH, 36870, EV_LEVEL_ERROR, CAT_CALLER, "The TLS credential's private key could not be accessed",
	  "A fatal error occurred when attempting to access the TLS %1 credential private key. The "
	  "error code returned from the cryptographic module is %2. The internal error state is %3.%C",
	  "The data field is named ErrorStatus here (ErrorState in 36871 and 36888). Typical cause: "
	  "the service account cannot read the key (ACL), ErrorCode 0x8009030d, state 10001.",
	  SCH_SRC, 5,
	  { FC("Type", M_TYPE, "access the TLS ", 'w'),
	    FC("ErrorCode", M_ERRCODE, "cryptographic module is ", 'n'),
	    FC("ErrorStatus", M_STATE, "error state is ", 'n'), CALLER_FIELDS } },
	{ SCH, SCH, 36871, EV_LEVEL_ERROR, CAT_CALLER, "A TLS credential could not be created",
	  "A fatal error occurred while creating a TLS %1 credential. The internal error state is %2.%C",
	  "State 10013 is logged when the application asked only for protocols that are disabled "
	  "(for example TLS 1.0/1.1 after their deprecation).",
	  SCH_SRC, 4,
	  { FC("Type", M_TYPE, "creating a TLS ", 'w'), FC("ErrorState", M_STATE, "error state is ", 'n'),
	    CALLER_FIELDS } },
	{ SCH, SCH, 36872, EV_LEVEL_ERROR, CAT_CALLER, "The credential certificate's chain could not be retrieved",
	  "The TLS %1 specified certificate's chain could not be retrieved:\n\n   Failure Status: %2\n"
	  "   Flags: %3%P",
	  NULL, SCH_SRC, 5,
	  { F("Type", M_TYPE), FC("ErrorCode", M_ERRCODE, "Failure Status: ", 'n'),
	    F("CertFlags", "Chain-building flags."), CALLER_FIELDS } },
	{ SCH, SCH, 36873, EV_LEVEL_ERROR, CAT_CALLER, "No supported cipher suite (client side)",
	  "No supported cipher suites were found when initiating a TLS connection. This indicates a "
	  "problem with the client application configuration. The TLS connection request has failed.%C",
	  "Client side: the client has no cipher suite it may offer.", SCH_SRC, 2, { CALLER_FIELDS } },
	{ SCH, SCH, 36874, EV_LEVEL_ERROR, CAT_CALLER, "No common cipher suite (server side)",
	  "An %1 connection request was received from a remote client application, but none of the "
	  "cipher suites supported by the client application are supported by the server. The TLS "
	  "connection request has failed.%C",
	  "Server side; usually paired with a 36888 alert 40 (handshake_failure), state 1205.", SCH_SRC, 3,
	  { F("Protocol", "The protocol version the client offered (\"TLS 1.0\")."), CALLER_FIELDS } },
	{ SCH, SCH, 36875, EV_LEVEL_WARNING, CAT_CALLER, "No suitable client certificate (client side)",
	  "The remote server has requested TLS client authentication, but no suitable client "
	  "certificate could be found. An anonymous connection will be attempted. This TLS "
	  "connection request may succeed or fail, depending on the server's policy settings.%C",
	  "Client side.", SCH_SRC, 2, { CALLER_FIELDS } },
	{ SCH, SCH, 36876, EV_LEVEL_ERROR, CAT_CALLER, "The server certificate did not validate (client side)",
	  "The certificate received from the remote server has not validated correctly. The error "
	  "code is %1. The TLS connection request has failed. The attached data contains the server "
	  "certificate.%C",
	  "Client side.", SCH_SRC, 3, { FC("ErrorCode", M_ERRCODE, "error code is ", 'n'), CALLER_FIELDS } },
	{ SCH, SCH, 36877, EV_LEVEL_WARNING, CAT_CALLER, "The client certificate did not validate (server side)",
	  "The certificate received from the remote client application has not validated correctly. "
	  "The error code is %1. The attached data contains the client certificate.%C",
	  "Server side, with client authentication.", SCH_SRC, 3,
	  { FC("ErrorCode", M_ERRCODE, "error code is ", 'n'), CALLER_FIELDS } },
	{ SCH, SCH, 36878, EV_LEVEL_WARNING, CAT_CALLER, "The client certificate cannot be mapped directly (server side)",
	  "The certificate received from the remote client application is not suitable for direct "
	  "mapping to a client system account, possibly because the certificate authority is "
	  "improperly configured. The error code is %1.%C",
	  "Server side.", SCH_SRC, 3, { FC("ErrorCode", M_ERRCODE, "error code is ", 'n'), CALLER_FIELDS } },
	{ SCH, SCH, 36879, EV_LEVEL_WARNING, CAT_CALLER, "The client certificate was not mapped to an account (server side)",
	  "The certificate received from the remote client application was not successfully mapped to "
	  "a client system account. The error code is %1. This may be caused by a failure to contact "
	  "the domain controller.%C",
	  "Server side.", SCH_SRC, 3, { FC("ErrorCode", M_ERRCODE, "error code is ", 'n'), CALLER_FIELDS } },
	{ SCH, SCH, 36880, EV_LEVEL_INFO, 0, "A TLS handshake completed",
	  "A TLS %1 handshake completed successfully. The negotiated cryptographic parameters are as "
	  "follows.\n\n   Protocol version: %2\n   CipherSuite: %3\n   Exchange strength: %4 bits\n"
	  "   Context handle: %5\n   Target name: %6\n   Local certificate subject name: %7\n"
	  "   Remote certificate subject name: %8",
	  "Logged only when the EventLogging registry value has bit 0x4. Windows 10 1507 has only the "
	  "first four fields.",
	  SCH_SRC, 8,
	  { FC("Type", M_TYPE, "A TLS ", 'w'),
	    FC("Protocol", "The negotiated protocol version (compare with the ServerHello).", "Protocol version: ", 'l'),
	    FC("CipherSuite", "The negotiated cipher suite (compare with the ServerHello).", "CipherSuite: ", 'l'),
	    FC("ExchangeStrength", "Key exchange strength in bits.", "Exchange strength: ", 'n'),
	    FC("ContextHandle", "Schannel's context handle (process-local).", "Context handle: ", 'l'),
	    FC("TargetName", "The target name the client application gave Schannel (compare with the ClientHello SNI).", "Target name: ", 'l'),
	    FC("LocalCertSubjectName", "Subject of this host's certificate, if it sent one.", "Local certificate subject name: ", 'l'),
	    FC("RemoteCertSubjectName", "Subject of the peer's certificate.", "Remote certificate subject name: ", 'l') } },
	{ SCH, SCH, 36881, EV_LEVEL_ERROR, CAT_CALLER, "The server certificate is expired or not yet valid (client side)",
	  "The certificate received from the remote server has either expired or is not yet valid. "
	  "The TLS connection request has failed. The attached data contains the server certificate.%C",
	  "Client side; the peer usually sees alert 45 (certificate_expired).", SCH_SRC, 2, { CALLER_FIELDS } },
	{ SCH, SCH, 36882, EV_LEVEL_ERROR, CAT_CALLER, "The server certificate's CA is not trusted (client side)",
	  "The certificate received from the remote server was issued by an untrusted certificate "
	  "authority. Because of this, none of the data contained in the certificate can be validated. "
	  "The TLS connection request has failed. The attached data contains the server certificate.%C",
	  "Client side; the peer usually sees alert 48 (unknown_ca).", SCH_SRC, 2, { CALLER_FIELDS } },
	{ SCH, SCH, 36883, EV_LEVEL_ERROR, CAT_CALLER, "The server certificate is revoked (client side)",
	  "The certificate received from the remote server has been revoked. This means that the "
	  "certificate authority that issued the certificate has invalidated it. The TLS connection "
	  "request has failed. The attached data contains the server certificate.%C",
	  "Client side; the peer usually sees alert 44 (certificate_revoked).", SCH_SRC, 2, { CALLER_FIELDS } },
	{ SCH, SCH, 36884, EV_LEVEL_ERROR, CAT_CALLER, "The server certificate does not contain the expected name (client side)",
	  "The certificate received from the remote server does not contain the expected name. It is "
	  "therefore not possible to determine whether we are connecting to the correct server. The "
	  "server name we were expecting is %1. The TLS connection request has failed. The attached "
	  "data contains the server certificate.%C",
	  "Client side.", SCH_SRC, 3,
	  { FC("Name", "The server name the client expected (its target name; compare with the SNI and the certificate's names).", "we were expecting is ", 's'),
	    CALLER_FIELDS } },
	{ SCH, SCH, 36885, EV_LEVEL_WARNING, 0, "The trusted CA list for client authentication was truncated (server side)",
	  "When asking for client authentication, this server sends a list of trusted certificate "
	  "authorities to the client. The client uses this list to choose a client certificate that "
	  "is trusted by the server. Currently, this server trusts so many certificate authorities "
	  "that the list has grown too long. This list has thus been truncated. The administrator of "
	  "this machine should review the certificate authorities trusted for client authentication "
	  "and remove those that do not really need to be trusted.",
	  "Server side.", SCH_SRC, 0, { { 0 } } },
	{ SCH, SCH, 36886, EV_LEVEL_WARNING, 0, "No default server credential",
	  "No suitable default server credential exists on this system. This will prevent server "
	  "applications that expect to make use of the system default credentials from accepting TLS "
	  "connections. An example of such an application is the directory server. Applications that "
	  "manage their own credentials, such as the internet information server, are not affected by "
	  "this.",
	  NULL, SCH_SRC, 0, { { 0 } } },
	{ SCH, SCH, 36887, EV_LEVEL_ERROR, CAT_CALLER, "A fatal alert was received from the peer",
	  "A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert "
	  "code is %1.%C",
	  "The W10 1507 manifest gives level Error, the W11 21H2 dump Information. Older wording: "
	  "\"The following fatal alert was received: %1.\" It never carries an ErrorState or a TargetName.",
	  SCH_SRC, 3,
	  { FC("AlertDesc", "The TLS alert description received from the peer (RFC 8446 section 6).",
	       "alert code is |error code is |fatal alert was received: ", 'n'),
	    CALLER_FIELDS } },
	{ SCH, SCH, 36888, EV_LEVEL_ERROR, CAT_CALLER, "A fatal alert was generated and sent to the peer",
	  "A fatal alert was generated and sent to the remote endpoint. This may result in termination "
	  "of the connection. The TLS protocol defined fatal alert code is %1.\n\n Target name: %3%P\n\n"
	  " The TLS alert registry can be found at "
	  "http://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-6",
	  "Sent by this host: between a ServerHello and the client's FIN it means this host was the "
	  "client and rejected the server. The W10 1507 manifest gives level Error, the W11 21H2 dump "
	  "Information. Wordings: Windows 7 \"The following fatal alert was generated: %1. The "
	  "internal error state is %2.\"; 8 to 10 1507 \"...fatal error code is %1. The Windows "
	  "SChannel error state is %2.\"; later builds drop the state from the text but keep it in "
	  "the data.",
	  SCH_SRC, 5,
	  { FC("AlertDesc", "The TLS alert description this host sent (RFC 8446 section 6).",
	       "alert code is |error code is |fatal alert was generated: ", 'n'),
	    FC("ErrorState", M_STATE, "error state is ", 'n'),
	    FC("TargetName", "The target name the client application gave Schannel, normally the server host name (compare with the ClientHello SNI); empty when this host is the server.",
	       "Target name: ", 'l'),
	    CALLER_FIELDS } },
	{ SCH, SCH, 36889, EV_LEVEL_ERROR, CAT_CALLER, "The credential certificate's chain is incomplete",
	  "The TLS %1 specified certificate's chain is incomplete:\n\n   Failure Status: %2\n\nSee KB "
	  "954755 for more information.%P",
	  NULL, SCH_SRC, 4,
	  { F("Type", M_TYPE), FC("ErrorCode", M_ERRCODE, "Failure Status: ", 'n'), CALLER_FIELDS } },
	{ SCH, SCH, 36896, EV_LEVEL_WARNING, 0, "DTLS connection request verification failed",
	  "Verification of the DTLS connection request failed.", NULL, SCH_SRC, 0, { { 0 } } },
	{ SCH, SCH, 36897, EV_LEVEL_WARNING, 0, "DTLS record outside the receive window",
	  "DTLS record was rejected because it is outside of current receive window.", NULL, SCH_SRC, 0, { { 0 } } },
	{ SCH, SCH, 36898, EV_LEVEL_INFO, 0, "Duplicate DTLS record",
	  "A DTLS record was rejected because it is a duplicate of a previously received record.",
	  NULL, SCH_SRC, 0, { { 0 } } },
	{ SCH, SCH, 36899, EV_LEVEL_INFO, 0, "DTLS handshake retransmission requested",
	  "The retransmission of DTLS handshake messages has been requested.", NULL, SCH_SRC, 0, { { 0 } } },
	{ SCH, SCH, 36912, EV_LEVEL_ERROR, CAT_CALLER, "Session ticket key material missing",
	  "The key material used to protect TLS Session Tickets was not found at %1.%C", NULL, SCH_SRC, 3,
	  { F("Path", "Where the session-ticket key material was expected."), CALLER_FIELDS } },
	{ SCH, SCH, 36928, EV_LEVEL_ERROR, 0, "No OCSP response could be retrieved",
	  "Could not retrieve an OCSP response. The Failure Reason is: %1 The OCSP Url is: %2 The "
	  "previous OCSP response contained ThisUpdate: %3 NextUpdate: %4. The attached data contains "
	  "the certificate.",
	  "Windows 11 only; field positions not verified.", SCH_SRC, 4,
	  { F("FailureReason", "Why the OCSP response could not be fetched."),
	    F("OCSPResponderURL", "The OCSP responder that was asked."),
	    F("ThisUpdate", "thisUpdate of the previous response."),
	    F("NextUpdate", "nextUpdate of the previous response.") } },

#define CAPI2 "Microsoft-Windows-CAPI2"
#define CAPI2_SRC "real CAPI2 Operational records (task names; UserData roots)"
#define M_TASKID "Groups every CAPI2 event of one verification (with SeqNumber)."
#define M_RESULT "The outcome: 0 or an HRESULT in hex without 0x (CRYPT_E_REVOKED is 80092010)."
#define M_PROC "The process that asked (lsass.exe for Schannel's own checks)."
	{ CAPI2, "CAPI2", 10, EV_LEVEL_INFO, 0, "Build Chain started (CertGetCertificateChainStart)",
	  "Build Chain started for %1", NULL, CAPI2_SRC, 3,
	  { F("Certificate@subjectName", "The certificate whose chain is built."),
	    F("EventAuxInfo@ProcessName", M_PROC), F("CorrelationAuxInfo@TaskId", M_TASKID) } },
	{ CAPI2, "CAPI2", 11, EV_LEVEL_INFO, 0, "Build Chain (CertGetCertificateChain)",
	  "Build Chain for %1: result %2", NULL, CAPI2_SRC, 6,
	  { F("Certificate@subjectName", "The certificate whose chain was built."),
	    F("Result@value", M_RESULT),
	    F("Certificate@fileRef", "SHA-1 thumbprint of the certificate, plus .cer."),
	    F("CertificateChain/TrustStatus/ErrorStatus@value", "CERT_TRUST_* error bits of the whole chain (hex)."),
	    F("CertificateChain@chainRef", "Links this chain to the policy check (event 30)."),
	    F("EventAuxInfo@ProcessName", M_PROC) } },
	{ CAPI2, "CAPI2", 30, EV_LEVEL_INFO, 0, "Verify Chain Policy (CertVerifyCertificateChainPolicy)",
	  "Verify Chain Policy %1 for %2 (server name %3): result %4", NULL, CAPI2_SRC, 7,
	  { F("Policy@type", "The policy checked (CERT_CHAIN_POLICY_SSL for TLS)."),
	    F("Certificate@subjectName", "The end certificate."),
	    F("SSLAdditionalPolicyInfo@serverName", "The host name validated (compare with the SNI)."),
	    F("Result@value", M_RESULT),
	    F("SSLAdditionalPolicyInfo@authType", "\"server\": a server certificate was validated; \"client\": a client certificate."),
	    F("CertificateChain@chainRef", "The chain of event 11 this policy check used."),
	    F("EventAuxInfo@ProcessName", M_PROC) } },
	{ CAPI2, "CAPI2", 40, EV_LEVEL_INFO, 0, "Verify Revocation started (CertVerifyRevocationStart)",
	  "Verify Revocation started for %1", NULL, CAPI2_SRC, 2,
	  { F("Certificate@subjectName", "The certificate checked."), F("CorrelationAuxInfo@TaskId", M_TASKID) } },
	{ CAPI2, "CAPI2", 41, EV_LEVEL_INFO, 0, "Verify Revocation (CertVerifyRevocation)",
	  "Verify Revocation of %1 (%2): result %3", NULL, CAPI2_SRC, 6,
	  { F("Certificate@subjectName", "The certificate checked."),
	    F("CertificateRevocationList@url", "Where the CRL came from."), F("Result@value", M_RESULT),
	    F("RevocationStatus@error", "The revocation verdict as an HRESULT in hex (80092010 = revoked)."),
	    F("RevocationStatus@reason", "CRL reason code (RFC 5280: 1 keyCompromise, 4 superseded, ...)."),
	    F("CertificateRevocationList@location", "\"Wire\" (fetched now), \"UrlCache\", ...") } },
	{ CAPI2, "CAPI2", 42, EV_LEVEL_ERROR, 0, "Reject Revocation Information (CertRejectedRevocationInfo)",
	  "Revocation information rejected for %1: %2", "Task name from memory, not verified.", CAPI2_SRC, 3,
	  { F("SubjectCertificate@subjectName", "The certificate whose revocation data was rejected."),
	    F("Action@name", "Why (CheckTimeValidity: the CRL is stale)."),
	    F("CertificateRevocationList@url", "The CRL that was rejected.") } },
	{ CAPI2, "CAPI2", 50, EV_LEVEL_INFO, 0, "Retrieve Object from Cache started (CryptRetrieveObjectByUrlCacheStart)",
	  "Retrieve Object from Cache started: %1", NULL, CAPI2_SRC, 1, { F("URL", "The URL looked up.") } },
	{ CAPI2, "CAPI2", 51, EV_LEVEL_INFO, 0, "Retrieve Object from Cache (CryptRetrieveObjectByUrlCache)",
	  "Retrieve Object from Cache: %1: result %2", NULL, CAPI2_SRC, 2,
	  { F("URL", "The URL looked up."), F("Result@value", M_RESULT) } },
	{ CAPI2, "CAPI2", 52, EV_LEVEL_INFO, 0, "Retrieve Object from Network started (CryptRetrieveObjectByUrlWireStart)",
	  "Retrieve Object from Network started: %1", NULL, CAPI2_SRC, 1,
	  { F("URL", "The CRL, AIA or OCSP URL to fetch (find the HTTP request in the capture).") } },
	{ CAPI2, "CAPI2", 53, EV_LEVEL_INFO, 0, "Retrieve Object from Network (CryptRetrieveObjectByUrlWire)",
	  "Retrieve Object from Network: %1: result %2", "Level 2 (Error) when the fetch failed.", CAPI2_SRC, 4,
	  { F("URL", "The CRL, AIA or OCSP URL fetched (find the HTTP exchange in the capture)."),
	    F("Result@value", M_RESULT), F("Timeout", "The fetch timeout (ISO 8601 duration)."),
	    F("AdditionalInfo/HTTPResponseHeadersInfo/Header_2", "A response header (Date: gives the server's clock).") } },
	{ CAPI2, "CAPI2", 70, EV_LEVEL_INFO, 0, "Acquire Certificate Private Key (CryptAcquireCertificatePrivateKey)",
	  "Acquire Certificate Private Key for %1: result %2", "Task name from memory, not verified.", CAPI2_SRC, 3,
	  { F("Certificate@subjectName", "The certificate whose key was opened."), F("Result@value", M_RESULT),
	    F("EventAuxInfo@ProcessName", M_PROC) } },
	{ CAPI2, "CAPI2", 80, EV_LEVEL_INFO, 0, "Verify Trust started (WinVerifyTrustStart)",
	  "Verify Trust started", "Authenticode, not TLS.", CAPI2_SRC, 0, { { 0 } } },
	{ CAPI2, "CAPI2", 81, EV_LEVEL_INFO, 0, "Verify Trust (WinVerifyTrust)",
	  "Verify Trust of %1: result %2", "Authenticode, not TLS.", CAPI2_SRC, 2,
	  { F("FileInfo@filePath", "The signed file."), F("Result@value", M_RESULT) } },
	{ CAPI2, "CAPI2", 82, EV_LEVEL_INFO, 0, "Catalog lookup (CryptCATAdminEnumCatalogFromHash)",
	  "Catalog lookup: result %1", "Not TLS.", CAPI2_SRC, 1, { F("Result@value", M_RESULT) } },
	{ CAPI2, "CAPI2", 90, EV_LEVEL_INFO, 0, "X509 Objects (X509Objects)",
	  "X509 Objects: the certificates and CRLs of this verification", NULL, CAPI2_SRC, 0, { { 0 } } },
	{ CAPI2, "CAPI2", 4101, EV_LEVEL_ERROR, 0, "Root certificate auto-update retrieval failed (Application log)",
	  "Failed auto update retrieval of third-party root certificate from: <%1> with error: %2.",
	  NULL, "CAPI2 manifest (W10 1507)", 2,
	  { F("param1", "The URL of the root list."), F("param2", "The error.") } },

	/* Not Schannel or CAPI2, but around every failure: names for PowerShell's positional data. */
	{ "Service Control Manager", "SCM", 7036, EV_LEVEL_INFO, 0, "A service changed state",
	  "The %1 service entered the %2 state.", NULL, "Service Control Manager manifest", 3,
	  { F("param1", "The service's display name."), F("param2", "The new state."),
	    F("Binary", "The service's key name as UTF-16LE hex, with the state.") } },
	{ "Microsoft-Windows-Security-Auditing", "Security", 4624, EV_LEVEL_ALWAYS, 0,
	  "An account was successfully logged on",
	  "An account was successfully logged on.\n\nSubject:\n\tSecurity ID:\t\t%1\n\tAccount Name:\t\t%2\n"
	  "\tAccount Domain:\t\t%3\n\tLogon ID:\t\t%4\n\nLogon Information:\n\tLogon Type:\t\t%9\n\n"
	  "New Logon:\n\tSecurity ID:\t\t%5\n\tAccount Name:\t\t%6\n\tAccount Domain:\t\t%7\n"
	  "\tLogon ID:\t\t%8\n\nProcess Information:\n\tProcess ID:\t\t%17\n\tProcess Name:\t\t%18\n\n"
	  "Network Information:\n\tWorkstation Name:\t%12\n\tSource Network Address:\t%19\n"
	  "\tSource Port:\t\t%20\n\nDetailed Authentication Information:\n\tLogon Process:\t\t%10\n"
	  "\tAuthentication Package:\t%11",
	  "Version 2 field order.", "Security auditing manifest (event 4624 version 2)", 27,
	  { F("SubjectUserSid", NULL), F("SubjectUserName", NULL), F("SubjectDomainName", NULL),
	    F("SubjectLogonId", NULL), F("TargetUserSid", NULL), F("TargetUserName", NULL),
	    F("TargetDomainName", NULL), F("TargetLogonId", NULL),
	    F("LogonType", "2 interactive, 3 network, 5 service, 10 remote interactive, ..."),
	    F("LogonProcessName", NULL), F("AuthenticationPackageName", NULL), F("WorkstationName", NULL),
	    F("LogonGuid", NULL), F("TransmittedServices", NULL), F("LmPackageName", NULL),
	    F("KeyLength", NULL), F("ProcessId", NULL), F("ProcessName", NULL), F("IpAddress", NULL),
	    F("IpPort", NULL), F("ImpersonationLevel", NULL), F("RestrictedAdminMode", NULL),
	    F("TargetOutboundUserName", NULL), F("TargetOutboundDomainName", NULL),
	    F("VirtualAccount", NULL), F("TargetLinkedLogonId", NULL), F("ElevatedToken", NULL) } },
};
const size_t cat_nevents = ARRAY_SIZE(cat_events);

#define SEC_E_ILLEGAL_MESSAGE 0x80090326u
#define SEC_E_CERT_UNKNOWN 0x80090327u

const struct cat_alert cat_alerts[] = {
	{ 0, "close_notify", "TLS1_ALERT_CLOSE_NOTIFY", "RFC 5246 7.2.1", 0x00090317u,
	  "normal close (a warning; never in 36887/36888)" },
	{ 10, "unexpected_message", "TLS1_ALERT_UNEXPECTED_MESSAGE", "RFC 5246 7.2.2", SEC_E_ILLEGAL_MESSAGE,
	  "malformed or out-of-order handshake; error state 1203 = a ClientHello that could not be parsed" },
	{ 20, "bad_record_mac", "TLS1_ALERT_BAD_RECORD_MAC", "RFC 5246 7.2.2", 0x8009030Fu,
	  "a record failed its MAC or AEAD check; with error state 960 (\"Unwrap_DecryptFailure\"), DHE cipher-suite interoperability" },
	{ 21, "decryption_failed_RESERVED", "TLS1_ALERT_DECRYPTION_FAILED", "RFC 5246 7.2.2", 0x80090330u, NULL },
	{ 22, "record_overflow", "TLS1_ALERT_RECORD_OVERFLOW", "RFC 5246 7.2.2", SEC_E_ILLEGAL_MESSAGE, NULL },
	{ 30, "decompression_failure_RESERVED", "TLS1_ALERT_DECOMPRESSION_FAIL", "RFC 5246 7.2.2", 0x8009030Fu, NULL },
	{ 40, "handshake_failure", "TLS1_ALERT_HANDSHAKE_FAILURE", "RFC 5246 7.2.2", SEC_E_ILLEGAL_MESSAGE,
	  "no common protocol version or cipher suite (pairs with 36874; error state 1205); state 252 was seen for an MD5-signed chain under TLS 1.2" },
	{ 41, "no_certificate_RESERVED", NULL, "RFC 5246 7.2.2 (SSL 3.0 only)", 0, NULL },
	{ 42, "bad_certificate", "TLS1_ALERT_BAD_CERTIFICATE", "RFC 5246 7.2.2", SEC_E_CERT_UNKNOWN,
	  "the peer's certificate is corrupt or failed verification (OpenSSL also sends it for a host name mismatch or a too weak signature digest)" },
	{ 43, "unsupported_certificate", "TLS1_ALERT_UNSUPPORTED_CERT", "RFC 5246 7.2.2", SEC_E_CERT_UNKNOWN,
	  "the certificate's type, key or signature algorithm is not acceptable" },
	{ 44, "certificate_revoked", "TLS1_ALERT_CERTIFICATE_REVOKED", "RFC 5246 7.2.2", 0x80092010u,
	  "the certificate was revoked by its issuer (look for the CRL/OCSP fetch: CAPI2 41/53)" },
	{ 45, "certificate_expired", "TLS1_ALERT_CERTIFICATE_EXPIRED", "RFC 5246 7.2.2", 0x80090328u,
	  "the certificate has expired or is not yet valid (check both clocks)" },
	{ 46, "certificate_unknown", "TLS1_ALERT_CERTIFICATE_UNKNOWN", "RFC 5246 7.2.2", SEC_E_CERT_UNKNOWN,
	  "the most common client-side verdict on a failed chain: untrusted, name mismatch, revocation offline" },
	{ 47, "illegal_parameter", "TLS1_ALERT_ILLEGAL_PARAMETER", "RFC 5246 7.2.2", SEC_E_ILLEGAL_MESSAGE,
	  "a handshake field was out of range or inconsistent" },
	{ 48, "unknown_ca", "TLS1_ALERT_UNKNOWN_CA", "RFC 5246 7.2.2", 0x80090325u,
	  "the chain does not end at a trusted root (or an intermediate is missing)" },
	{ 49, "access_denied", "TLS1_ALERT_ACCESS_DENIED", "RFC 5246 7.2.2", 0x8009030Cu, NULL },
	{ 50, "decode_error", "TLS1_ALERT_DECODE_ERROR", "RFC 5246 7.2.2", SEC_E_ILLEGAL_MESSAGE,
	  "a message could not be decoded" },
	{ 51, "decrypt_error", "TLS1_ALERT_DECRYPT_ERROR", "RFC 5246 7.2.2", 0x80090330u,
	  "a signature or the Finished message did not verify" },
	{ 60, "export_restriction_RESERVED", "TLS1_ALERT_EXPORT_RESTRICTION", "RFC 5246 7.2.2", SEC_E_ILLEGAL_MESSAGE, NULL },
	{ 70, "protocol_version", "TLS1_ALERT_PROTOCOL_VERSION", "RFC 5246 7.2.2", 0x80090302u,
	  "the protocol version offered is disabled on the other side (error state 105 seen)" },
	{ 71, "insufficient_security", "TLS1_ALERT_INSUFFIENT_SECURITY", "RFC 5246 7.2.2", 0x80090331u,
	  "the server requires stronger cipher suites than the client offered (the macro's spelling is Microsoft's)" },
	{ 80, "internal_error", "TLS1_ALERT_INTERNAL_ERROR", "RFC 5246 7.2.2", 0x80090304u, NULL },
	{ 86, "inappropriate_fallback", NULL, "RFC 7507", 0, "a downgrade retry was detected (TLS_FALLBACK_SCSV)" },
	{ 90, "user_canceled", "TLS1_ALERT_USER_CANCELED", "RFC 5246 7.2.2", 0x80090333u, NULL },
	{ 100, "no_renegotiation_RESERVED", "TLS1_ALERT_NO_RENEGOTIATION", "RFC 5246 7.2.2", SEC_E_ILLEGAL_MESSAGE, NULL },
	{ 109, "missing_extension", NULL, "RFC 8446 6.2", 0, NULL },
	{ 110, "unsupported_extension", "TLS1_ALERT_UNSUPPORTED_EXT", "RFC 5246 7.2.2 / RFC 8446 6.2", SEC_E_ILLEGAL_MESSAGE, NULL },
	{ 112, "unrecognized_name", NULL, "RFC 6066 3 / RFC 8446 6.2", 0, "the server does not know the SNI host name" },
	{ 113, "bad_certificate_status_response", NULL, "RFC 6066 8 / RFC 8446 6.2", 0, NULL },
	{ 115, "unknown_psk_identity", "TLS1_ALERT_UNKNOWN_PSK_IDENTITY", "RFC 4279 2", SEC_E_ILLEGAL_MESSAGE, NULL },
	{ 116, "certificate_required", NULL, "RFC 8446 6.2", 0, "the server requires a client certificate and got none" },
	{ 120, "no_application_protocol", "TLS1_ALERT_NO_APP_PROTOCOL", "RFC 7301 3.2", 0x80090367u,
	  "no common ALPN protocol (Microsoft's table lists SEC_E_ILLEGAL_MESSAGE there by mistake)" },
	{ 121, "ech_required", NULL, "IANA TLS Alerts registry", 0, NULL },
};
const size_t cat_nalerts = ARRAY_SIZE(cat_alerts);

const struct cat_code cat_hresults[] = {
	{ 0x00000000u, "S_OK / SEC_E_OK", "The operation completed successfully.", NULL },
	{ 0x00090312u, "SEC_I_CONTINUE_NEEDED", "The function completed successfully, but must be called again to complete the context.", "a handshake in progress, not an error" },
	{ 0x00090317u, "SEC_I_CONTEXT_EXPIRED", "The context has expired and can no longer be used.", "the peer sent close_notify" },
	{ 0x00090321u, "SEC_I_RENEGOTIATE", "The context data must be renegotiated with the peer.", "renegotiation, or a TLS 1.3 post-handshake message" },
	{ 0x80090010u, "NTE_PERM", "Access denied.", "access to the private key was denied" },
	{ 0x80090016u, "NTE_BAD_KEYSET", "Keyset does not exist.", "the private key container is missing" },
	{ 0x80090300u, "SEC_E_INSUFFICIENT_MEMORY", "Not enough memory is available to complete this request.", NULL },
	{ 0x80090301u, "SEC_E_INVALID_HANDLE", "The handle specified is invalid.", NULL },
	{ 0x80090302u, "SEC_E_UNSUPPORTED_FUNCTION", "The function requested is not supported.", "what Schannel reports when it receives alert 70 (protocol_version)" },
	{ 0x80090303u, "SEC_E_TARGET_UNKNOWN", "The specified target is unknown or unreachable.", NULL },
	{ 0x80090304u, "SEC_E_INTERNAL_ERROR", "The Local Security Authority cannot be contacted.", "what Schannel reports when it receives alert 80 (internal_error)" },
	{ 0x80090308u, "SEC_E_INVALID_TOKEN", "The token supplied to the function is invalid.", "a malformed handshake message" },
	{ 0x8009030Cu, "SEC_E_LOGON_DENIED", "The logon attempt failed.", "what Schannel reports when it receives alert 49 (access_denied)" },
	{ 0x8009030Du, "SEC_E_UNKNOWN_CREDENTIALS", "The credentials supplied to the package were not recognized.", "the credential or its private key is unusable (Schannel 36870 with state 10001: key ACL)" },
	{ 0x8009030Eu, "SEC_E_NO_CREDENTIALS", "No credentials are available in the security package.", "no credential or no usable certificate" },
	{ 0x8009030Fu, "SEC_E_MESSAGE_ALTERED", "The message or signature supplied for verification has been altered.", "what Schannel reports when it receives alert 20 or 30" },
	{ 0x80090311u, "SEC_E_NO_AUTHENTICATING_AUTHORITY", "No authority could be contacted for authentication.", NULL },
	{ 0x80090317u, "SEC_E_CONTEXT_EXPIRED", "The context has expired and can no longer be used.", NULL },
	{ 0x80090318u, "SEC_E_INCOMPLETE_MESSAGE", "The supplied message is incomplete. The signature was not verified.", "more input is needed (not fatal)" },
	{ 0x80090320u, "SEC_E_INCOMPLETE_CREDENTIALS", "The credentials supplied were not complete, and could not be verified. The context could not be initialized.", "the server asked for a client certificate" },
	{ 0x80090321u, "SEC_E_BUFFER_TOO_SMALL", "The buffers supplied to a function was too small.", NULL },
	{ 0x80090322u, "SEC_E_WRONG_PRINCIPAL", "The target principal name is incorrect.", "the target name does not match the certificate" },
	{ 0x80090324u, "SEC_E_TIME_SKEW", "The clocks on the client and server machines are skewed.", NULL },
	{ 0x80090325u, "SEC_E_UNTRUSTED_ROOT", "The certificate chain was issued by an authority that is not trusted.", "what Schannel reports when it receives alert 48 (unknown_ca); the chain ends at an untrusted root" },
	{ 0x80090326u, "SEC_E_ILLEGAL_MESSAGE", "The message received was unexpected or badly formatted.", "what Schannel reports when it receives alert 10, 22, 40, 47, 50, 60, 100, 110, 115 or an alert it does not know; curl: \"This error usually occurs when a fatal SSL/TLS alert is received\"" },
	{ 0x80090327u, "SEC_E_CERT_UNKNOWN", "An unknown error occurred while processing the certificate.", "what Schannel reports when it receives alert 42, 43 or 46" },
	{ 0x80090328u, "SEC_E_CERT_EXPIRED", "The received certificate has expired.", "what Schannel reports when it receives alert 45 (certificate_expired)" },
	{ 0x80090329u, "SEC_E_ENCRYPT_FAILURE", "The specified data could not be encrypted.", NULL },
	{ 0x80090330u, "SEC_E_DECRYPT_FAILURE", "The specified data could not be decrypted.", "what Schannel reports when it receives alert 21 or 51" },
	{ 0x80090331u, "SEC_E_ALGORITHM_MISMATCH", "The client and server cannot communicate, because they do not possess a common algorithm.", "what Schannel reports when it receives alert 71; no common protocol, cipher suite or signature algorithm" },
	{ 0x80090333u, "SEC_E_UNFINISHED_CONTEXT_DELETED", "A security context was deleted before the context was completed. This is considered a logon failure.", "what Schannel reports when it receives alert 90 (user_canceled)" },
	{ 0x80090349u, "SEC_E_CERT_WRONG_USAGE", "The certificate is not valid for the requested usage.", NULL },
	{ 0x80090350u, "SEC_E_DOWNGRADE_DETECTED", "The system detected a possible attempt to compromise security. Please ensure that you can contact the server that authenticated you.", NULL },
	{ 0x8009035Du, "SEC_E_INVALID_PARAMETER", "One or more of the parameters passed to the function was invalid.", NULL },
	{ 0x80090363u, "SEC_E_MUTUAL_AUTH_FAILED", "Mutual authentication failed.", NULL },
	{ 0x80090367u, "SEC_E_APPLICATION_PROTOCOL_MISMATCH", "No common application protocol exists between the client and the server. Application protocol negotiation failed.", "what Schannel reports when it receives alert 120 (ALPN)" },
	{ 0x8009036Au, "SEC_E_EXT_BUFFER_TOO_SMALL", "The supplied extension buffer is too small.", NULL },
	{ 0x80092004u, "CRYPT_E_NOT_FOUND", "Cannot find object or property.", NULL },
	{ 0x80092010u, "CRYPT_E_REVOKED", "The certificate is revoked.", "what Schannel reports when it receives alert 44 (certificate_revoked)" },
	{ 0x80092011u, "CRYPT_E_NO_REVOCATION_DLL", "No Dll or exported function was found to verify revocation.", NULL },
	{ 0x80092012u, "CRYPT_E_NO_REVOCATION_CHECK", "The revocation function was unable to check revocation for the certificate.", NULL },
	{ 0x80092013u, "CRYPT_E_REVOCATION_OFFLINE", "The revocation function was unable to check revocation because the revocation server was offline.", "the CRL or OCSP fetch failed (look for CAPI2 53 and the HTTP exchange)" },
	{ 0x80092014u, "CRYPT_E_NOT_IN_REVOCATION_DATABASE", "The certificate is not in the revocation server's database.", NULL },
	{ 0x80092026u, "CRYPT_E_SECURITY_SETTINGS", "The cryptographic operation failed due to a local security option setting.", NULL },
	{ 0x80096004u, "TRUST_E_CERT_SIGNATURE", "The signature of the certificate cannot be verified.", NULL },
	{ 0x80096019u, "TRUST_E_BASIC_CONSTRAINTS", "A certificate's basic constraint extension has not been observed.", NULL },
	{ 0x800B0100u, "TRUST_E_NOSIGNATURE", "No signature was present in the subject.", NULL },
	{ 0x800B0101u, "CERT_E_EXPIRED", "A required certificate is not within its validity period when verifying against the current system clock or the timestamp in the signed file.", NULL },
	{ 0x800B0102u, "CERT_E_VALIDITYPERIODNESTING", "The validity periods of the certification chain do not nest correctly.", NULL },
	{ 0x800B0103u, "CERT_E_ROLE", "A certificate that can only be used as an end-entity is being used as a CA or vice versa.", NULL },
	{ 0x800B0104u, "CERT_E_PATHLENCONST", "A path length constraint in the certification chain has been violated.", NULL },
	{ 0x800B0105u, "CERT_E_CRITICAL", "A certificate contains an unknown extension that is marked 'critical'.", NULL },
	{ 0x800B0106u, "CERT_E_PURPOSE", "A certificate being used for a purpose other than the ones specified by its CA.", NULL },
	{ 0x800B0107u, "CERT_E_ISSUERCHAINING", "A parent of a given certificate in fact did not issue that child certificate.", NULL },
	{ 0x800B0108u, "CERT_E_MALFORMED", "A certificate is missing or has an empty value for an important field, such as a subject or issuer name.", NULL },
	{ 0x800B0109u, "CERT_E_UNTRUSTEDROOT", "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.", NULL },
	{ 0x800B010Au, "CERT_E_CHAINING", "A certificate chain could not be built to a trusted root authority.", "often a missing intermediate certificate" },
	{ 0x800B010Bu, "TRUST_E_FAIL", "Generic trust failure.", NULL },
	{ 0x800B010Cu, "CERT_E_REVOKED", "A certificate was explicitly revoked by its issuer.", NULL },
	{ 0x800B010Du, "CERT_E_UNTRUSTEDTESTROOT", "The certification path terminates in the test root which is not trusted with the current policy settings.", NULL },
	{ 0x800B010Eu, "CERT_E_REVOCATION_FAILURE", "The revocation process could not continue - the certificate(s) could not be checked.", NULL },
	{ 0x800B010Fu, "CERT_E_CN_NO_MATCH", "The certificate's CN name does not match the passed value.", "a host name mismatch" },
	{ 0x800B0110u, "CERT_E_WRONG_USAGE", "The certificate is not valid for the requested usage.", NULL },
	{ 0x800B0111u, "TRUST_E_EXPLICIT_DISTRUST", "The certificate was explicitly marked as untrusted by the user.", NULL },
	{ 0x800B0112u, "CERT_E_UNTRUSTEDCA", "A certification chain processed correctly, but one of the CA certificates is not trusted by the policy provider.", NULL },
	{ 0x800B0113u, "CERT_E_INVALID_POLICY", "The certificate has invalid policy.", NULL },
	{ 0x800B0114u, "CERT_E_INVALID_NAME", "The certificate has an invalid name. The name is not included in the permitted list or is explicitly excluded.", NULL },
};
const size_t cat_nhresults = ARRAY_SIZE(cat_hresults);

const struct cat_code cat_win32[] = {
	{ 0, "ERROR_SUCCESS", "The operation completed successfully.", NULL },
	{ 2, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified.", NULL },
	{ 5, "ERROR_ACCESS_DENIED", "Access is denied.", NULL },
	{ 87, "ERROR_INVALID_PARAMETER", "The parameter is incorrect.", NULL },
	{ 1225, "ERROR_CONNECTION_REFUSED", "The remote computer refused the network connection.", NULL },
	{ 1326, "ERROR_LOGON_FAILURE", "The user name or password is incorrect.", NULL },
	{ 1460, "ERROR_TIMEOUT", "This operation returned because the timeout period expired.", NULL },
	{ 10013, "WSAEACCES", "An attempt was made to access a socket in a way forbidden by its access permissions.", NULL },
	{ 10053, "WSAECONNABORTED", "An established connection was aborted by the software in your host machine.", NULL },
	{ 10054, "WSAECONNRESET", "An existing connection was forcibly closed by the remote host.", "a RST: look for it in the capture" },
	{ 10060, "WSAETIMEDOUT", "A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.", NULL },
	{ 10061, "WSAECONNREFUSED", "No connection could be made because the target machine actively refused it.", NULL },
	{ 11001, "WSAHOST_NOT_FOUND", "No such host is known.", NULL },
	{ 12002, "ERROR_WINHTTP_TIMEOUT", "The operation timed out.", NULL },
	{ 12007, "ERROR_WINHTTP_NAME_NOT_RESOLVED", "The server name or address could not be resolved.", NULL },
	{ 12029, "ERROR_WINHTTP_CANNOT_CONNECT", "A connection with the server could not be established.", NULL },
	{ 12030, "ERROR_WINHTTP_CONNECTION_ERROR", "The connection with the server was terminated abnormally.", NULL },
	{ 12037, "ERROR_WINHTTP_SECURE_CERT_DATE_INVALID", "The server certificate has expired or is not yet valid.", NULL },
	{ 12038, "ERROR_WINHTTP_SECURE_CERT_CN_INVALID", "The server certificate's name does not match the host name.", NULL },
	{ 12044, "ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED", "The server requires a client certificate.", NULL },
	{ 12045, "ERROR_WINHTTP_SECURE_INVALID_CA", "The server certificate was issued by an unknown or untrusted CA.", NULL },
	{ 12057, "ERROR_WINHTTP_SECURE_CERT_REV_FAILED", "Revocation of the server certificate could not be checked.", NULL },
	{ 12157, "ERROR_WINHTTP_SECURE_CHANNEL_ERROR", "An error occurred in the secure channel support.", NULL },
	{ 12169, "ERROR_WINHTTP_SECURE_INVALID_CERT", "The server certificate is invalid.", NULL },
	{ 12170, "ERROR_WINHTTP_SECURE_CERT_REVOKED", "The server certificate has been revoked.", NULL },
	{ 12175, "ERROR_WINHTTP_SECURE_FAILURE", "One or more errors were found in the server's certificate.", NULL },
};
const size_t cat_nwin32 = ARRAY_SIZE(cat_win32);

const struct cat_state cat_states[] = {
	{ 105, "36888 with alert 70 (protocol_version)", "a protocol-version mismatch (inferred from the alert it comes with)",
	  "a public Q&A post quoting the event XML (<Data>70</Data><Data>105</Data>)" },
	{ 252, "36888 with alert 40, client (IE9, TLS 1.2)",
	  "the server's chain contained an MD5-signed certificate, which TLS 1.2's signature_algorithms check in schannel.dll refuses: the remote certificate's signature algorithm",
	  "friis (Microsoft IIS support), \"TLS 1.2 handshake failure\", 2012-08-29" },
	{ 960, "36888 with alert 20 (bad_record_mac)", "\"Unwrap_DecryptFailure\"; typically a peer using TLS_DHE_RSA_WITH_AES_*_CBC_SHA against Windows Server 2008 R2 to 2012 R2",
	  "Keith Abluton (Microsoft), \"TLS Handshake Failing, SChannel Error 36888\", 2016-11-11" },
	{ 1203, "36888 with alert 10, server (a domain controller)", "an error parsing a ClientHello (malformed or non-TLS data)",
	  "a Microsoft-affiliated answer on serverfault.com question 936218" },
	{ 1205, "36888 with alert 40, server", "no common protocol or cipher suite (seen with 36874 and with TLS 1.2 disabled on 2012)",
	  "several public posts quoting the event (inferred from co-occurrence)" },
	{ 10001, "36870 with ErrorCode 0x8009030d (SEC_E_UNKNOWN_CREDENTIALS)", "the server credential's private key cannot be accessed (its ACL)",
	  "Microsoft Service Fabric troubleshooting guide, \"How to ACL application certificate private key\"" },
	{ 10013, "36871 (credential creation)", "the application asked only for protocols that are disabled, for example TLS 1.0/1.1 after their deprecation",
	  "Microsoft TLS 1.0/1.1 deprecation guidance (Microsoft Learn)" },
};
const size_t cat_nstates = ARRAY_SIZE(cat_states);

const struct cat_bit cat_trust_bits[] = {
	{ 0x1, "CERT_TRUST_IS_NOT_TIME_VALID" },
	{ 0x2, "CERT_TRUST_IS_NOT_TIME_NESTED" },
	{ 0x4, "CERT_TRUST_IS_REVOKED" },
	{ 0x8, "CERT_TRUST_IS_NOT_SIGNATURE_VALID" },
	{ 0x10, "CERT_TRUST_IS_NOT_VALID_FOR_USAGE" },
	{ 0x20, "CERT_TRUST_IS_UNTRUSTED_ROOT" },
	{ 0x40, "CERT_TRUST_REVOCATION_STATUS_UNKNOWN" },
	{ 0x80, "CERT_TRUST_IS_CYCLIC" },
	{ 0x100, "CERT_TRUST_INVALID_EXTENSION" },
	{ 0x200, "CERT_TRUST_INVALID_POLICY_CONSTRAINTS" },
	{ 0x400, "CERT_TRUST_INVALID_BASIC_CONSTRAINTS" },
	{ 0x800, "CERT_TRUST_INVALID_NAME_CONSTRAINTS" },
	{ 0x10000, "CERT_TRUST_IS_PARTIAL_CHAIN" },
	{ 0x1000000, "CERT_TRUST_IS_OFFLINE_REVOCATION" },
	{ 0x2000000, "CERT_TRUST_NO_ISSUANCE_CHAIN_POLICY" },
	{ 0x4000000, "CERT_TRUST_IS_EXPLICIT_DISTRUST" },
	{ 0x8000000, "CERT_TRUST_HAS_NOT_SUPPORTED_CRITICAL_EXT" },
};
const size_t cat_ntrust_bits = ARRAY_SIZE(cat_trust_bits);
