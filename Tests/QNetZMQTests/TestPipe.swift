#if canImport(Glibc)
    import Glibc
    private let closeDescriptor = Glibc.close
#elseif canImport(Darwin)
    import Darwin
    private let closeDescriptor = Darwin.close
#endif

/// A POSIX pipe for testing file-descriptor polling.
struct TestPipe {
    let readEnd: Int32
    let writeEnd: Int32

    struct Failure: Error {}

    init() throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw Failure() }
        readEnd = descriptors[0]
        writeEnd = descriptors[1]
    }

    func writeByte() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    func close() {
        _ = closeDescriptor(readEnd)
        _ = closeDescriptor(writeEnd)
    }
}
