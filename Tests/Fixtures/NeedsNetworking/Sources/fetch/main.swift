import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
let session = URLSession(configuration: .ephemeral)
print("session: \(session.configuration.timeoutIntervalForRequest)")
